package io.noos.streams.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Growable byte buffer with varints, used by {@link RegulatorStateCodec}. */
public final class StateWriter {
    private static final java.lang.invoke.VarHandle LITTLE_ENDIAN_LONG =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    private byte[] buf;
    private int pos;

    public StateWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int extra) {
        if (pos + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + extra));
        }
    }

    public void writeByte(int b) {
        ensure(1);
        buf[pos++] = (byte) b;
    }

    /** Unsigned LEB128 of the long's bits (negative values take 10 bytes). */
    public void writeVarLong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    /** Zig-zag varint for values that may be negative. */
    public void writeSignedVarLong(long v) {
        writeVarLong((v << 1) ^ (v >> 63));
    }

    public void writeDouble(double d) {
        writeLong(Double.doubleToRawLongBits(d));
    }

    /** Eight bytes, little-endian. */
    public void writeLong(long bits) {
        ensure(8);
        LITTLE_ENDIAN_LONG.set(buf, pos, bits);
        pos += 8;
    }

    public void writeBoolean(boolean b) {
        writeByte(b ? 1 : 0);
    }

    public void writeString(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        writeVarLong(bytes.length);
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
    }

    /** A string or null (one flag byte first). */
    public void writeNullableString(String s) {
        writeBoolean(s != null);
        if (s != null) {
            writeString(s);
        }
    }

    /** The bytes as they are (the reader must know how many). */
    public void writeBytes(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    /** Empties the writer, keeping its buffer for the next value. */
    public void reset() {
        pos = 0;
    }

    /** The size of the buffer held (what a reused writer keeps between values). */
    public int capacity() {
        return buf.length;
    }

    /** Eight bytes each, little-endian: {@code count} longs of {@code values} from {@code from}. */
    public void writeLongs(long[] values, int from, int count) {
        ensure(8 * count);
        for (int i = from; i < from + count; i++) {
            LITTLE_ENDIAN_LONG.set(buf, pos, values[i]);
            pos += 8;
        }
    }
}
