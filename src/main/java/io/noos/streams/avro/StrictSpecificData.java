package io.noos.streams.avro;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.ResolvingDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.util.Utf8;

/**
 * The data model the codec decodes with: Avro's specific model with three things made strict.
 *
 * <ul>
 *   <li><b>Strings must be well-formed UTF-8.</b> Stock Avro decodes malformed bytes (including an
 *       encoded lone surrogate such as {@code ED A0 80}) to U+FFFD without a word; here they are an
 *       error naming the field and the problem ({@link io.noos.streams.core.Utf8}), as they are
 *       for the JSON reader.</li>
 *   <li><b>Lengths are checked against the bytes that are there.</b> Single-object decoding reads
 *       the body through a "direct" decoder that does not know how many bytes remain, so a forged
 *       string length makes it allocate up to 2 GB before noticing the input ended. The body is
 *       decoded from the message's own byte array instead, whose decoder knows the remaining
 *       length and fails at once.</li>
 *   <li><b>No trailing bytes.</b> Bytes left after the record are an error, not ignored.</li>
 * </ul>
 *
 * Maps decode into a {@link LinkedHashMap}, so the writer's entry order is kept. Being a subclass,
 * this model does not use Avro's "fast reader" (it only runs for the stock models).
 *
 * <p>Decoders built on this model must be given one whole message per call (the codec decodes
 * {@code byte[]} only): the body reader consumes the rest of the input stream.
 */
final class StrictSpecificData extends SpecificData {

    StrictSpecificData() {
        super(StrictSpecificData.class.getClassLoader());
        setCustomCoders(false); // generated customDecode() would bypass the checks below
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public DatumReader createDatumReader(Schema writer, Schema reader) {
        return new StrictDatumReader(writer, reader, this);
    }

    @Override
    public Object newMap(Object old, int size) {
        if (old instanceof Map<?, ?> map) {
            map.clear();
            return map;
        }
        return new LinkedHashMap<>(Math.max(16, size * 2));
    }

    /** A string held bytes that are not UTF-8; {@link #path()} names the field it was in. */
    static final class MalformedTextException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Deque<String> path = new ArrayDeque<>();

        MalformedTextException(String detail) {
            super(detail, null, false, false);
        }

        /** Called on the way out of each enclosing field, innermost first. */
        MalformedTextException inField(String field) {
            path.addFirst(field);
            return this;
        }

        /** Dotted field path from the top-level record, for example {@code event.user_message}. */
        String path() {
            return path.isEmpty() ? "a string" : String.join(".", path);
        }
    }

    /** Specific reader with the checks described on {@link StrictSpecificData}. */
    static final class StrictDatumReader<T> extends SpecificDatumReader<T> {

        StrictDatumReader(Schema writer, Schema reader, SpecificData data) {
            super(writer, reader, data);
        }

        @Override
        public T read(T reuse, Decoder in) throws IOException {
            if (!(in instanceof BinaryDecoder direct)) {
                return super.read(reuse, in);
            }
            byte[] body = direct.inputStream().readAllBytes();
            BinaryDecoder bounded = DecoderFactory.get().binaryDecoder(body, null);
            T datum = super.read(reuse, bounded);
            if (!bounded.isEnd()) {
                throw new IOException(bounded.remainingBytes() + " unexpected byte(s) after the record");
            }
            return datum;
        }

        @Override
        protected void readField(Object record, Schema.Field field, Object oldDatum, ResolvingDecoder in,
                                 Object state) throws IOException {
            try {
                super.readField(record, field, oldDatum, in, state);
            } catch (MalformedTextException e) {
                throw e.inField(field.name());
            }
        }

        @Override
        protected Object readString(Object old, Schema expected, Decoder in) throws IOException {
            Utf8 utf8 = in.readString(null);
            return strictUtf8(utf8.getBytes(), utf8.getByteLength());
        }

        /** Decodes {@code bytes[0, length)} or throws {@link MalformedTextException}. */
        static String strictUtf8(byte[] bytes, int length) {
            io.noos.streams.core.Utf8.Malformation bad = io.noos.streams.core.Utf8.firstMalformation(bytes, 0, length);
            if (bad != null) {
                throw new MalformedTextException("is not valid UTF-8: " + bad.describe() + " of the string");
            }
            return new String(bytes, 0, length, StandardCharsets.UTF_8);
        }
    }
}
