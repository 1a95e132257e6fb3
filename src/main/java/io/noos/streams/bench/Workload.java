package io.noos.streams.bench;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.InvalidEventException;
import io.noos.streams.json.EventJson;
import io.noos.streams.json.Json;
import io.noos.streams.logfile.LogFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A benchmark workload fully parsed into memory: for event {@code i}, its user id, event time and
 * event. Lines are JSON envelopes {@code {"user_id", "session_id", "at_ms", "event"}}.
 */
public record Workload(String[] userIds, long[] atMs, AgentEvent[] events) {

    public int size() {
        return events.length;
    }

    public static Workload load(Path file) throws IOException {
        List<String> users = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        List<AgentEvent> events = new ArrayList<>();
        try (BufferedReader in = reader(file)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                try (JsonParser p = Json.FACTORY.createParser(line)) {
                    if (p.nextToken() != JsonToken.START_OBJECT) {
                        throw new InvalidEventException("is not a JSON object");
                    }
                    String user = null;
                    long at = 0;
                    AgentEvent event = null;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        p.nextToken();
                        switch (name) {
                            case "user_id" -> user = p.getText();
                            case "at_ms" -> at = p.getLongValue();
                            case "event" -> event = EventJson.read(p);
                            default -> p.skipChildren();
                        }
                    }
                    if (user == null || event == null) {
                        throw new InvalidEventException("lacks user_id or event");
                    }
                    users.add(user.intern());
                    times.add(at);
                    events.add(event);
                } catch (InvalidEventException e) {
                    throw new InvalidEventException("line " + lineNo + ": " + e.getMessage());
                } catch (JsonProcessingException e) {
                    throw new InvalidEventException("line " + lineNo + " is not valid JSON: " + e.getOriginalMessage());
                }
            }
        }
        long[] at = new long[times.size()];
        for (int i = 0; i < at.length; i++) {
            at[i] = times.get(i);
        }
        return new Workload(users.toArray(new String[0]), at, events.toArray(new AgentEvent[0]));
    }

    static BufferedReader reader(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(LogFiles.open(file), StandardCharsets.UTF_8), 1 << 16);
    }
}
