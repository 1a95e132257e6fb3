package io.noos.streams.clients;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import io.noos.streams.json.Json;
import io.noos.streams.json.JsonPeek;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * One consumed record as one JSON line.
 *
 * <p>A value that is a JSON object (a decision record, an envelope) is written as it is. Any other
 * value (dead letters can be arbitrary bytes), or every value when wrapping is forced, is written in
 * a wrapper:
 * <pre>{@code
 * {"key":"alice","value":"not json","headers":{"noos.dlq.reason":"not valid JSON: ..."},
 *  "topic":"regulator-dlq","partition":3,"offset":17}
 * }</pre>
 * Text that is valid UTF-8 is written as a string; other bytes go base64-encoded under
 * {@code value_base64} (instead of {@code value}), {@code key_base64} (instead of {@code key}) or,
 * for header values, in a {@code headers_base64} object beside {@code headers}. A missing key or
 * value is {@code null}. When a header name repeats, the last value is kept.
 */
public final class ConsumedRecordJson {
    private ConsumedRecordJson() {}

    /**
     * One output line.
     *
     * @param json    the JSON text, without line break
     * @param wrapped whether it is the wrapper object rather than the record's own value
     */
    public record Line(byte[] json, boolean wrapped) {}

    /** The JSON line for {@code record}: its value as it is when that is a JSON object, else the wrapper. */
    public static Line toLine(ConsumerRecord<byte[], byte[]> record, boolean alwaysWrap) {
        if (!alwaysWrap && JsonPeek.isJsonObject(record.value())) {
            return new Line(singleLine(record.value()), false);
        }
        return new Line(wrapper(record), true);
    }

    /** The wrapper object for {@code record} (see the class description). */
    public static byte[] wrapper(ConsumerRecord<byte[], byte[]> record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            writeBytes(g, "key", record.key());
            writeBytes(g, "value", record.value());
            Map<String, String> text = new LinkedHashMap<>();
            Map<String, String> binary = new LinkedHashMap<>();
            for (Header h : record.headers()) {
                if (h.value() == null || JsonPeek.isUtf8(h.value())) {
                    binary.remove(h.key());
                    text.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
                } else {
                    text.remove(h.key());
                    binary.put(h.key(), Base64.getEncoder().encodeToString(h.value()));
                }
            }
            writeMap(g, "headers", text);
            if (!binary.isEmpty()) {
                writeMap(g, "headers_base64", binary);
            }
            g.writeStringField("topic", record.topic());
            g.writeNumberField("partition", record.partition());
            g.writeNumberField("offset", record.offset());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code name} as a UTF-8 string, {@code name_base64} when not UTF-8, null when absent. */
    private static void writeBytes(JsonGenerator g, String name, byte[] bytes) throws IOException {
        if (bytes == null) {
            g.writeNullField(name);
        } else if (JsonPeek.isUtf8(bytes)) {
            g.writeStringField(name, new String(bytes, StandardCharsets.UTF_8));
        } else {
            g.writeStringField(name + "_base64", Base64.getEncoder().encodeToString(bytes));
        }
    }

    private static void writeMap(JsonGenerator g, String name, Map<String, String> map) throws IOException {
        g.writeObjectFieldStart(name);
        for (Map.Entry<String, String> e : map.entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    /** The JSON object as it is, or re-written compactly if it spans lines (pretty-printed input). */
    private static byte[] singleLine(byte[] json) {
        if (!containsLineBreak(json)) {
            return json;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length);
        try (JsonParser p = Json.FACTORY.createParser(json); JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            p.nextToken();
            g.copyCurrentStructureExact(p);   // numbers keep their digits
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static boolean containsLineBreak(byte[] bytes) {
        for (byte b : bytes) {
            if (b == '\n' || b == '\r') {
                return true;
            }
        }
        return false;
    }
}
