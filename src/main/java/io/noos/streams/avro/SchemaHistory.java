package io.noos.streams.avro;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.SchemaStore;

/**
 * Every released version of a record's schema, read from the classpath.
 *
 * <p>Version {@code N} of record {@code R} is the resource {@code schemas/history/R/vN.avsc} (the
 * build copies the project's {@code schemas/} folder onto the classpath). Versions are numbered
 * from 1 without gaps; loading stops at the first missing number. Each file is parsed on its own,
 * since every version uses the same full names.
 *
 * <p>A decoder can only resolve an old record against the current class when the old writer
 * schema is known, so the codec loads all of them into its {@link SchemaStore.Cache} at start-up.
 */
public final class SchemaHistory {
    /** Resource folder holding one sub-folder per record. */
    public static final String ROOT = "schemas/history/";

    private SchemaHistory() {}

    /**
     * The released versions of {@code record} (its simple name, for example
     * {@code AgentEventEnvelope}), oldest first.
     *
     * @throws IllegalStateException when there is no {@code v1}, or a file is not a valid schema
     */
    public static List<Schema> versions(String record) {
        ClassLoader loader = SchemaHistory.class.getClassLoader();
        List<Schema> versions = new ArrayList<>();
        for (int v = 1; ; v++) {
            String path = resource(record, v);
            try (InputStream in = loader.getResourceAsStream(path)) {
                if (in == null) {
                    break;
                }
                versions.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + path, e);
            } catch (RuntimeException e) {
                throw new IllegalStateException("schema history file " + path + " is not a valid Avro schema: "
                        + e.getMessage(), e);
            }
        }
        if (versions.isEmpty()) {
            throw new IllegalStateException("no schema history for " + record + ": " + resource(record, 1)
                    + " is not on the classpath");
        }
        return List.copyOf(versions);
    }

    /** A schema store holding every released version of {@code record}. */
    public static SchemaStore.Cache store(String record) {
        SchemaStore.Cache store = new SchemaStore.Cache();
        versions(record).forEach(store::addSchema);
        return store;
    }

    /** The classpath resource of version {@code version} of {@code record}. */
    public static String resource(String record, int version) {
        return ROOT + record + "/v" + version + ".avsc";
    }

    /** The CRC-64-AVRO fingerprint of a schema's parsing canonical form, as single-object encoding writes it. */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }
}
