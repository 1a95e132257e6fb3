package io.noos.streams.detect;

/**
 * One parameter of a detector: its default and accepted range; {@code integral} ones take whole
 * numbers only. Values travel as doubles (integral ones are exact up to 2^53).
 */
public record DetectorParam(String name, double defaultValue, double min, double max, boolean integral, String doc) {

    public static DetectorParam integer(String name, long defaultValue, long min, long max, String doc) {
        return new DetectorParam(name, defaultValue, min, max, true, doc);
    }

    public static DetectorParam number(String name, double defaultValue, double min, double max, String doc) {
        return new DetectorParam(name, defaultValue, min, max, false, doc);
    }

    /** Null when {@code value} is accepted, else why not (for configuration and policy errors). */
    public String problemWith(double value) {
        if (!Double.isFinite(value) || value < min || value > max || (integral && value != Math.rint(value))) {
            return name + " must be " + (integral ? "an integer" : "a number") + " in " + range() + ", got "
                    + (integral && value == Math.rint(value) && Double.isFinite(value) ? Long.toString((long) value) : value);
        }
        return null;
    }

    public String range() {
        return integral ? (long) min + ".." + (long) max : "[" + min + ", " + max + "]";
    }
}
