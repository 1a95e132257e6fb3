package io.noos.streams.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/** JSON text read as a tree with the product's mapper; a parse error fails the test at once. */
public final class JsonTrees {
    private JsonTrees() {
    }

    public static JsonNode tree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }

    public static JsonNode tree(byte[] json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + new String(json, java.nio.charset.StandardCharsets.UTF_8), e);
        }
    }
}
