package io.noos.streams.detect;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The detectors the service knows, in priority order within each {@link Detector.Stage}. Adding a
 * detector is writing its class and listing it here.
 */
public final class DetectorRegistry {

    /** Every built-in detector; each is off unless enabled. */
    public static final DetectorRegistry BUILT_IN = new DetectorRegistry(List.of(
            new TokenBudgetDetector(),
            new SpendBudgetDetector(),
            SpendBudgetDetector.agentWide(),
            new RepeatedIdenticalToolCallDetector(),
            new ToolCallCycleDetector(),
            new RepeatedFailureDetector(),
            new FleetSpendAnomalyDetector()));

    private final List<Detector> detectors;

    public DetectorRegistry(List<Detector> detectors) {
        Set<String> names = new HashSet<>();
        for (Detector d : detectors) {
            if (!d.name().matches("[a-z][a-z0-9_]*") || !names.add(d.name())) {
                throw new IllegalArgumentException("detector names must be unique snake_case: " + d.name());
            }
            for (DetectorParam p : d.params()) {
                if (p.name().equals(DetectorSettings.ENABLED) || p.problemWith(p.defaultValue()) != null) {
                    throw new IllegalArgumentException(d.name() + ": bad parameter " + p);
                }
            }
        }
        this.detectors = List.copyOf(detectors);
    }

    /** This registry with {@code extra} added last (it comes after the others of its stage). */
    public DetectorRegistry with(Detector extra) {
        List<Detector> all = new java.util.ArrayList<>(detectors);
        all.add(extra);
        return new DetectorRegistry(all);
    }

    public List<Detector> detectors() {
        return detectors;
    }

    /** The detector called {@code name}, or an IllegalArgumentException listing the known ones. */
    public Detector byName(String name) {
        for (Detector d : detectors) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown detector " + name + "; known: " + knownNames());
    }

    /** The detectors' names, as error messages list them: {@code a, b, c}. */
    public String knownNames() {
        return detectors.stream().map(Detector::name).collect(Collectors.joining(", "));
    }

    /** Throws an IllegalArgumentException when {@code detector} has no such parameter or refuses the value. */
    void check(Detector detector, String param, Double value) {
        if (value == null) {
            throw new IllegalArgumentException(detector.name() + "." + param + " has no value");
        }
        if (param.equals(DetectorSettings.ENABLED)) {
            if (value != 0.0 && value != 1.0) {
                throw new IllegalArgumentException(detector.name() + ".enabled must be true or false");
            }
            return;
        }
        for (DetectorParam p : detector.params()) {
            if (p.name().equals(param)) {
                String problem = p.problemWith(value);
                if (problem != null) {
                    throw new IllegalArgumentException(detector.name() + "." + problem);
                }
                return;
            }
        }
        throw new IllegalArgumentException("detector " + detector.name() + " has no parameter " + param + "; it has "
                + DetectorSettings.ENABLED + detector.params().stream().map(p -> ", " + p.name()).collect(Collectors.joining()));
    }
}
