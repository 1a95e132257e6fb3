package io.noos.streams.detect;

import java.util.Arrays;
import java.util.List;

/** One detector's parameter values after every layer (defaults, configuration, policies) applied. */
public final class DetectorParams {
    private final List<DetectorParam> params;
    private final double[] values;

    DetectorParams(List<DetectorParam> params, double[] values) {
        this.params = params;
        this.values = values;
    }

    /** The defaults of {@code detector}'s parameters. */
    public static DetectorParams defaultsOf(Detector detector) {
        List<DetectorParam> params = detector.params();
        double[] values = new double[params.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = params.get(i).defaultValue();
        }
        return new DetectorParams(params, values);
    }

    public double get(String name) {
        for (int i = 0; i < values.length; i++) {
            if (params.get(i).name().equals(name)) {
                return values[i];
            }
        }
        throw new IllegalArgumentException("no parameter " + name);
    }

    public long getLong(String name) {
        return (long) get(name);
    }

    DetectorParams with(String name, double value) {
        double[] copy = values.clone();
        for (int i = 0; i < copy.length; i++) {
            if (params.get(i).name().equals(name)) {
                copy[i] = value;
                return new DetectorParams(params, copy);
            }
        }
        throw new IllegalArgumentException("no parameter " + name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DetectorParams p && params.equals(p.params) && Arrays.equals(values, p.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i < values.length; i++) {
            DetectorParam p = params.get(i);
            s.append(i == 0 ? "" : ", ").append(p.name()).append('=')
                    .append(p.integral() ? Long.toString((long) values[i]) : Double.toString(values[i]));
        }
        return s.append('}').toString();
    }
}
