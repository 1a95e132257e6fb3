package io.noos.streams.codec;

/** How a topic's values are encoded. */
public enum WireFormat {
    /** UTF-8 JSON, one object per record (kcat-friendly). */
    JSON,
    /** Avro single-object encoding (magic C3 01, schema fingerprint, binary body). */
    AVRO;

    public static WireFormat parse(String s) {
        return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
