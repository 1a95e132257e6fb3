package io.noos.streams.core;

import java.nio.charset.StandardCharsets;

/** Reads what {@link StateWriter} wrote; any malformed input raises {@link IllegalStateException}. */
public final class StateReader {
    private static final java.lang.invoke.VarHandle LITTLE_ENDIAN_LONG =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    private final byte[] buf;
    private int pos;

    public StateReader(byte[] buf, int offset) {
        this.buf = buf;
        this.pos = offset;
    }

    public int position() {
        return pos;
    }

    private void need(int n) {
        if (n < 0 || pos + n > buf.length) {
            throw new IllegalStateException("state record truncated at byte " + pos);
        }
    }

    public int readByte() {
        need(1);
        return buf[pos++] & 0xFF;
    }

    public long readVarLong() {
        long v = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            int b = readByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IllegalStateException("varint too long at byte " + pos);
    }

    public long readSignedVarLong() {
        long z = readVarLong();
        return (z >>> 1) ^ -(z & 1);
    }

    public int readCount() {
        long n = readVarLong();
        if (n < 0 || n > buf.length) {
            throw new IllegalStateException("implausible count " + n + " at byte " + pos);
        }
        return (int) n;
    }

    public byte[] readBytes(int n) {
        need(n);
        byte[] out = java.util.Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    public double readDouble() {
        return Double.longBitsToDouble(readLong());
    }

    /** Eight bytes, little-endian. */
    public long readLong() {
        need(8);
        long bits = (long) LITTLE_ENDIAN_LONG.get(buf, pos);
        pos += 8;
        return bits;
    }

    public boolean readBoolean() {
        return readByte() != 0;
    }

    public String readString() {
        int n = readCount();
        need(n);
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    public String readNullableString() {
        return readBoolean() ? readString() : null;
    }
}
