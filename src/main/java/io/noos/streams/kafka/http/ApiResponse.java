package io.noos.streams.kafka.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** One HTTP response: status, content type, body and extra headers. */
record ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
    static final String JSON = "application/json; charset=utf-8";

    ApiResponse {
        headers = new LinkedHashMap<>(headers);
    }

    static ApiResponse json(int status, JsonNode body) {
        try {
            return new ApiResponse(status, JSON, Json.mapper().writeValueAsBytes(body), Map.of("Cache-Control", "no-store"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    static ApiResponse jsonBytes(int status, byte[] body) {
        return new ApiResponse(status, JSON, body, Map.of("Cache-Control", "no-store"));
    }

    /** {@code {"error": message}}. */
    static ApiResponse error(int status, String message) {
        return json(status, Json.mapper().createObjectNode().put("error", message));
    }

    static ApiResponse text(int status, String contentType, String body) {
        return new ApiResponse(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of("Cache-Control", "no-store"));
    }

    ApiResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new ApiResponse(status, contentType, body, h);
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
