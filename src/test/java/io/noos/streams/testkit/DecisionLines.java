package io.noos.streams.testkit;

import static io.noos.streams.testkit.JsonTrees.tree;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Decision records read back as JSON lines, grouped for per-user comparisons. */
public final class DecisionLines {
    private DecisionLines() {}

    /** The lines grouped by their {@code user_id}, each user's lines in their original order. */
    public static Map<String, List<String>> byUser(List<String> lines) {
        Map<String, List<String>> out = new TreeMap<>();
        for (String line : lines) {
            out.computeIfAbsent(tree(line).get("user_id").asText(), u -> new ArrayList<>()).add(line);
        }
        return out;
    }

}
