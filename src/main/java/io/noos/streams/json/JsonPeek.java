package io.noos.streams.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.noos.streams.core.Utf8;
import java.io.IOException;

/** Cheap looks into bytes that may or may not be JSON, for tools that handle arbitrary records. */
public final class JsonPeek {
    private JsonPeek() {}

    /**
     * The string value of top-level field {@code field} of a JSON object, or null when the bytes are
     * not a JSON object, the field is missing or not a string, or the JSON is broken before it.
     * Only the fields before it are read; nested values are skipped.
     */
    public static String topLevelString(byte[] json, String field) {
        try (JsonParser p = Json.FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals(name)) {
                    return value == JsonToken.VALUE_STRING ? p.getText() : null;
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    /** True when the bytes are valid UTF-8 holding exactly one JSON object (whitespace around allowed). */
    public static boolean isJsonObject(byte[] bytes) {
        if (bytes == null || !isUtf8(bytes)) {
            return false;
        }
        try (JsonParser p = Json.FACTORY.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException | RuntimeException broken) {
            return false;
        }
    }

    /** True when the bytes are well-formed UTF-8 ({@link Utf8}: no overlong forms, no encoded surrogates). */
    public static boolean isUtf8(byte[] bytes) {
        return Utf8.isWellFormed(bytes);
    }
}
