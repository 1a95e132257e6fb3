package io.noos.streams.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.core.Utf8;
import io.noos.streams.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The policies in force, by key, and the effective policy of one event: field by field, the user's
 * entry, then the entry of the event's agent, then {@code *}; what none of them sets comes from
 * the service's configuration (the caller's layer). Thread-safe: one writer (the thread reading the
 * policies topic) and any number of readers (the stream threads).
 */
public final class PolicyBook {
    private final ConcurrentHashMap<String, Policy> users = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Policy> agents = new ConcurrentHashMap<>();
    private volatile Policy fallback;
    /** Entries held, so an empty book costs one volatile read per event. */
    private volatile int size;

    /** Sets the entry of {@code key} (a parsed {@link PolicyKey}); its halt, if any, is marked as this key's. */
    public synchronized void put(PolicyKey key, Policy policy) {
        if (policy.halt() != null) {
            policy = policy.withHalt(policy.halt().of(key.text()));
        }
        if (key instanceof PolicyKey.Default) {
            fallback = policy;
        } else if (key instanceof PolicyKey.Agent a) {
            agents.put(a.agentId(), policy);
        } else if (key instanceof PolicyKey.User u) {
            users.put(u.userId(), policy);
        }
        resize();
    }

    /** Deletes the entry of {@code key}, if any. */
    public synchronized void remove(PolicyKey key) {
        if (key instanceof PolicyKey.Default) {
            fallback = null;
        } else if (key instanceof PolicyKey.Agent a) {
            agents.remove(a.agentId());
        } else if (key instanceof PolicyKey.User u) {
            users.remove(u.userId());
        }
        resize();
    }

    private void resize() {
        size = users.size() + agents.size() + (fallback == null ? 0 : 1);
    }

    public int size() {
        return size;
    }

    /**
     * The merged entries that apply to an event of {@code userId} sent by {@code agentId} (null when
     * the envelope names no agent), or null when no entry applies.
     */
    public Policy effective(String userId, String agentId) {
        if (size == 0) {
            return null;
        }
        Policy user = users.get(userId);
        Policy agent = agentId == null ? null : agents.get(agentId);
        Policy all = fallback;
        if (user == null && agent == null) {
            return all;
        }
        Policy merged = user == null ? agent : user.over(agent);
        return all == null ? merged : merged.over(all);
    }

    /** The entry of {@code key}, or null. */
    public Policy get(PolicyKey key) {
        if (key instanceof PolicyKey.Default) {
            return fallback;
        }
        if (key instanceof PolicyKey.Agent a) {
            return agents.get(a.agentId());
        }
        return users.get(((PolicyKey.User) key).userId());
    }

    /** The entries that halt their users, by key, sorted by key. */
    public Map<String, Policy.Halt> halts() {
        Map<String, Policy.Halt> out = new TreeMap<>();
        Policy all = fallback;
        if (all != null && all.halt() != null) {
            out.put(PolicyKey.DEFAULT, all.halt());
        }
        agents.forEach((a, p) -> {
            if (p.halt() != null) {
                out.put(PolicyKey.AGENT_PREFIX + a, p.halt());
            }
        });
        users.forEach((u, p) -> {
            if (p.halt() != null) {
                out.put(u, p.halt());
            }
        });
        return out;
    }

    /** Every entry as {@code key → canonical JSON}, sorted by key (for listings and tests). */
    public Map<String, String> entries() {
        Map<String, String> out = new TreeMap<>();
        Policy all = fallback;
        if (all != null) {
            out.put(PolicyKey.DEFAULT, PolicyJson.toJson(all));
        }
        agents.forEach((a, p) -> out.put(PolicyKey.AGENT_PREFIX + a, PolicyJson.toJson(p)));
        users.forEach((u, p) -> out.put(u, PolicyJson.toJson(p)));
        return out;
    }

    /**
     * A book from a JSON Lines file, one {@code {"key": "...", "policy": {...}}} per line ({@code
     * "policy": null} deletes an earlier entry), applied in file order; blank lines are skipped. Any
     * bad line is an {@link InvalidPolicyException} naming the line.
     */
    public static PolicyBook readJsonLines(Path file) throws IOException {
        PolicyBook book = new PolicyBook();
        byte[] bytes = Files.readAllBytes(file);
        Utf8.Malformation malformed = Utf8.firstMalformation(bytes, 0, bytes.length);
        if (malformed != null) {
            int lineStart = 0;
            int number = 1;
            for (int i = 0; i < malformed.offset(); i++) {
                if (bytes[i] == '\n') {
                    number++;
                    lineStart = i + 1;
                }
            }
            throw new InvalidPolicyException(file + " line " + number + ": not valid UTF-8: "
                    + new Utf8.Malformation(malformed.problem(), malformed.offset() - lineStart).describe());
        }
        int number = 0;
        for (String line : (Iterable<String>) new String(bytes, StandardCharsets.UTF_8).lines()::iterator) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            try {
                book.applyLine(line);
            } catch (InvalidPolicyException e) {
                throw new InvalidPolicyException(file + " line " + number + ": " + e.getMessage(), e);
            }
        }
        return book;
    }

    private void applyLine(String line) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(line);
        } catch (IOException e) {
            throw new InvalidPolicyException("not valid JSON: " + e.getMessage(), e);
        }
        if (node == null || !node.isObject() || !node.has("key") || !node.has("policy") || node.size() != 2) {
            throw new InvalidPolicyException("expected {\"key\": \"<user id>|*|agent:<agent_id>\", \"policy\": {...} or null}");
        }
        if (!node.get("key").isTextual()) {
            throw new InvalidPolicyException("key must be a string");
        }
        PolicyKey key = PolicyKey.parse(node.get("key").asText());
        JsonNode policy = node.get("policy");
        if (policy.isNull()) {
            remove(key);
        } else {
            put(key, PolicyJson.parse(policy.toString()));
        }
    }
}
