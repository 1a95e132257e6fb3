package io.noos.streams.otel;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.noos.streams.core.FieldChecks;
import io.noos.streams.core.InvalidEventException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON text into a {@link JsonValue} with Jackson's streaming parser, so that number literals
 * reach the model untouched ({@link JsonParser#getText()} returns the literal as written).
 *
 * <p>The text must hold exactly one JSON value (RFC 8259, no comments, no NaN, no leading zeros),
 * optionally surrounded by whitespace. Strings must be valid Unicode: an escaped unpaired surrogate
 * such as <code>"&#92;ud800"</code> is rejected, as the reference's parser rejects it. A repeated object key
 * keeps its last value. Anything else is reported as an {@link InvalidEventException}.
 */
final class JsonValueReader {

    // Jackson's default caps on number and string length are not JSON rules; the reference has
    // none, so lift them. The nesting cap stays: it also bounds the recursion below.
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNumberLength(Integer.MAX_VALUE)
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNameLength(Integer.MAX_VALUE)
                    .build())
            .build();

    private JsonValueReader() {}

    static JsonValue read(String text) {
        if (text == null) {
            throw new InvalidEventException("JSON text is required, got null");
        }
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() == null) {
                throw new InvalidEventException("malformed JSON: the text holds no value");
            }
            JsonValue value = readCurrent(parser);
            if (parser.nextToken() != null) {
                throw new InvalidEventException("malformed JSON: unexpected content after the value at "
                        + describe(parser));
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("malformed JSON: " + e.getOriginalMessage() + describe(e), e);
        } catch (IOException e) {
            // Reading from a String does no I/O; this would be a bug in the parser.
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the value whose first token is the parser's current token. */
    private static JsonValue readCurrent(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT:
                return readObject(parser);
            case START_ARRAY:
                return readArray(parser);
            case VALUE_STRING:
                return new JsonValue.JsonString(validText(parser.getText(), parser));
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return new JsonValue.JsonNumber(parser.getText());
            case VALUE_TRUE:
                return new JsonValue.JsonBoolean(true);
            case VALUE_FALSE:
                return new JsonValue.JsonBoolean(false);
            case VALUE_NULL:
                return JsonValue.JsonNull.INSTANCE;
            default:
                throw new InvalidEventException("malformed JSON: unexpected token " + token + " at "
                        + describe(parser));
        }
    }

    private static JsonValue readObject(JsonParser parser) throws IOException {
        Map<String, JsonValue> members = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = validText(parser.currentName(), parser);
            parser.nextToken();
            members.put(key, readCurrent(parser));
        }
        return new JsonValue.JsonObject(members);
    }

    private static JsonValue readArray(JsonParser parser) throws IOException {
        List<JsonValue> elements = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            elements.add(readCurrent(parser));
        }
        return new JsonValue.JsonArray(elements);
    }

    private static String validText(String text, JsonParser parser) {
        int bad = FieldChecks.firstUnpairedSurrogate(text);
        if (bad >= 0) {
            throw new InvalidEventException("malformed JSON: a string holds an unpaired surrogate U+"
                    + Integer.toHexString(text.charAt(bad)).toUpperCase() + " at " + describe(parser)
                    + "; strings must be valid Unicode");
        }
        return text;
    }

    private static String describe(JsonParser parser) {
        return "line " + parser.currentLocation().getLineNr() + ", column " + parser.currentLocation().getColumnNr();
    }

    private static String describe(JsonProcessingException e) {
        return e.getLocation() == null
                ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }
}
