package io.noos.streams.avro;

import io.noos.streams.core.InvalidEventException;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding (AVRO-1704) of one generated record class: {@code C3 01}, the
 * 8-byte little-endian CRC-64-AVRO fingerprint of the writer schema, then the binary body.
 *
 * <p>Encoding uses the class's own {@link BinaryMessageEncoder}. Decoding uses a
 * {@link BinaryMessageDecoder} reading into the current class, on the {@link StrictSpecificData}
 * model, with a {@link SchemaStore} of every released writer schema, so a record written with an
 * older version decodes into the current class with defaults filled in. Every decoding failure is
 * an {@link InvalidEventException} whose message starts with {@code "Avro: "}.
 *
 * <p>Thread-safe.
 */
final class SingleObjectCodec<T extends SpecificRecord> {
    private static final int HEADER_LENGTH = 10;

    private final String recordName;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    /**
     * @param readerSchema the generated class's schema ({@code getClassSchema()})
     * @param encoder      the generated class's {@code getEncoder()}
     * @param writers      every writer schema to accept besides {@code readerSchema}
     */
    SingleObjectCodec(Schema readerSchema, BinaryMessageEncoder<T> encoder, SchemaStore writers) {
        this.recordName = readerSchema.getName();
        this.encoder = encoder;
        this.decoder = new BinaryMessageDecoder<>(new StrictSpecificData(), readerSchema, writers);
    }

    byte[] encode(T datum) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try {
            encoder.encode(datum, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    T decode(byte[] bytes) {
        if (bytes == null) {
            throw new InvalidEventException("Avro: no bytes (null record value)");
        }
        try {
            return decoder.decode(bytes);
        } catch (BadHeaderException e) {
            throw new InvalidEventException("Avro: " + describeBadHeader(bytes), e);
        } catch (MissingSchemaException e) {
            throw new InvalidEventException(String.format("Avro: unknown schema fingerprint 0x%016x: not a released"
                    + " version of %s (is the writer's schema missing from schemas/history/%s/?)",
                    fingerprint(bytes), recordName, recordName), e);
        } catch (StrictSpecificData.MalformedTextException e) {
            throw new InvalidEventException("Avro: " + recordName + "." + e.path() + " " + e.getMessage(), e);
        } catch (SecurityException e) {
            throw e; // a set-up fault (untrusted class), not bad input
        } catch (IOException | RuntimeException e) {
            throw new InvalidEventException("Avro: malformed or truncated " + recordName + " body: "
                    + rootMessage(e), e);
        }
    }

    private static String describeBadHeader(byte[] bytes) {
        if (bytes.length < HEADER_LENGTH) {
            return "truncated single-object header: " + bytes.length + " byte(s), need " + HEADER_LENGTH
                    + " (C3 01 and an 8-byte schema fingerprint)";
        }
        return String.format("not single-object encoded: expected magic C3 01, got %02X %02X",
                bytes[0] & 0xFF, bytes[1] & 0xFF);
    }

    private static long fingerprint(byte[] bytes) {
        return ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** The innermost cause's message (Avro wraps the useful one, for example an EOFException). */
    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String kind = root instanceof EOFException ? "the input ended early" : root.getClass().getSimpleName();
        return root.getMessage() == null ? kind : kind + ": " + root.getMessage();
    }
}
