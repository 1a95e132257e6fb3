package io.noos.streams.detect;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One layer of detector settings (the configuration, or one policy entry): per detector name, the
 * values it sets ({@code enabled} as 1 or 0, and parameters). Layers combine value by value:
 * {@link #over} keeps this layer's values and takes the rest from the lower one. An empty layer
 * enables nothing, so the default service decides exactly as the reference.
 */
public final class DetectorSettings {
    public static final String ENABLED = "enabled";
    public static final DetectorSettings EMPTY = new DetectorSettings(Map.of());

    /** Detector name → parameter name → value; sorted, immutable. */
    private final Map<String, Map<String, Double>> values;
    private List<Active> resolved;
    private DetectorRegistry resolvedFor;

    private DetectorSettings(Map<String, Map<String, Double>> values) {
        this.values = values;
    }

    /**
     * Settings from {@code detector → parameter → value}, checked against {@code registry}: an
     * unknown detector or parameter, or a value out of range, is an IllegalArgumentException saying
     * which and what is accepted.
     */
    public static DetectorSettings of(Map<String, Map<String, Double>> values, DetectorRegistry registry) {
        if (values.isEmpty()) {
            return EMPTY;
        }
        Map<String, Map<String, Double>> copy = new TreeMap<>();
        for (Map.Entry<String, Map<String, Double>> e : values.entrySet()) {
            Detector detector = registry.byName(e.getKey());
            for (Map.Entry<String, Double> v : e.getValue().entrySet()) {
                registry.check(detector, v.getKey(), v.getValue());
            }
            if (!e.getValue().isEmpty()) {
                copy.put(e.getKey(), Collections.unmodifiableMap(new TreeMap<>(e.getValue())));
            }
        }
        return copy.isEmpty() ? EMPTY : new DetectorSettings(Collections.unmodifiableMap(copy));
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** Detector name → parameter → value, as set in this layer. */
    public Map<String, Map<String, Double>> values() {
        return values;
    }

    /** This layer's values where it sets them, {@code lower}'s elsewhere. */
    public DetectorSettings over(DetectorSettings lower) {
        if (lower == null || lower.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return lower;
        }
        Map<String, Map<String, Double>> merged = new TreeMap<>();
        lower.values.forEach((name, params) -> merged.put(name, new TreeMap<>(params)));
        values.forEach((name, params) -> merged.computeIfAbsent(name, n -> new TreeMap<>()).putAll(params));
        merged.replaceAll((name, params) -> Collections.unmodifiableMap(params));
        return new DetectorSettings(Collections.unmodifiableMap(merged));
    }

    /** The enabled detectors, in {@code registry}'s priority order, with their parameter values. */
    public List<Active> active(DetectorRegistry registry) {
        List<Active> r = resolved;
        if (r != null && resolvedFor == registry) {
            return r;
        }
        if (isEmpty()) {
            r = List.of();
        } else {
            List<Active> list = new ArrayList<>();
            for (Detector d : registry.detectors()) {
                Map<String, Double> set = values.get(d.name());
                if (set == null || set.getOrDefault(ENABLED, 0.0) != 1.0) {
                    continue;
                }
                DetectorParams params = DetectorParams.defaultsOf(d);
                for (Map.Entry<String, Double> e : set.entrySet()) {
                    if (!e.getKey().equals(ENABLED)) {
                        params = params.with(e.getKey(), e.getValue());
                    }
                }
                list.add(new Active(d, params));
            }
            r = List.copyOf(list);
        }
        resolved = r;
        resolvedFor = registry;
        return r;
    }

    /** An enabled detector with its parameter values. */
    public record Active(Detector detector, DetectorParams params) {}

    @Override
    public boolean equals(Object o) {
        return o instanceof DetectorSettings s && values.equals(s.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        Map<String, Map<String, Double>> shown = new LinkedHashMap<>(values);
        return "DetectorSettings" + shown;
    }
}
