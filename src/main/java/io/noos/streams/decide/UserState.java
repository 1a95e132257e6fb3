package io.noos.streams.decide;

import io.noos.streams.core.Regulator;
import io.noos.streams.core.RegulatorStateCodec;
import io.noos.streams.core.StateReader;
import io.noos.streams.core.StateWriter;
import io.noos.streams.detect.DetectorRegistry;
import io.noos.streams.detect.DetectorStates;
import io.noos.streams.pricing.Money;
import io.noos.streams.pricing.Spend;

/**
 * Everything the service keeps for one user: the regulator's whole state plus what the service adds
 * (the user's current session, the turn index, fingerprints of the most recent event ids for
 * duplicate detection), and the states of the opt-in detectors enabled for the user. Stored as one
 * value per user in RocksDB, with the money the user spent since the regulator's state began.
 * Versions 2 (before detectors) and 3 (before spend) are still read.
 */
public final class UserState {
    private static final int VERSION = 4;
    /**
     * Each thread encodes into one writer it keeps (a state is encoded on every event; allocating
     * and growing a fresh buffer each time was three quarters of the encoding's cost), unless a
     * state made it larger than this.
     */
    private static final int KEPT_WRITER_BYTES = 64 * 1024;
    private static final ThreadLocal<StateWriter> WRITER = ThreadLocal.withInitial(() -> new StateWriter(4096));
    public static final int MAX_RECENT_IDS = 1 << 16;

    private Regulator regulator;
    private String sessionId;
    private long turn;
    /** Ring of 64-bit fingerprints of the newest applied event ids, oldest first from {@code idHead}. */
    private long[] recentIds = new long[0];
    private int idCount;
    private int idHead;
    private DetectorStates detectors = new DetectorStates();
    private Spend spend = Spend.NONE;

    public UserState(Regulator regulator, String sessionId, long turn) {
        this.regulator = regulator;
        this.sessionId = sessionId;
        this.turn = turn;
    }

    public Regulator regulator() {
        return regulator;
    }

    /** The opt-in detectors' states; they outlive per-task resets (a budget spans sessions). */
    public DetectorStates detectors() {
        return detectors;
    }

    public String sessionId() {
        return sessionId;
    }

    public long turn() {
        return turn;
    }

    void replaceRegulator(Regulator next) {
        regulator = next;
        spend = Spend.NONE; // it counts with the regulator's tokens
    }

    /** Money spent since the regulator's state began (a new session resets both). */
    public Spend spend() {
        return spend;
    }

    void addSpend(Money amount) {
        spend = spend.plus(amount);
    }

    void setSessionId(String sessionId) {
        this.sessionId = sessionId;
    }

    void nextTurn() {
        turn++;
    }

    /** True when an event id with this fingerprint was applied among the newest ones remembered. */
    boolean hasSeen(long fingerprint) {
        for (int i = 0; i < idCount; i++) {
            if (recentIds[i] == fingerprint) {
                return true;
            }
        }
        return false;
    }

    /** Remembers a fingerprint, forgetting the oldest beyond {@code capacity}. */
    void remember(long fingerprint, int capacity) {
        if (capacity <= 0) {
            return;
        }
        if (recentIds.length != capacity) {
            resize(capacity);
        }
        if (idCount < capacity) {
            recentIds[(idHead + idCount) % capacity] = fingerprint;
            idCount++;
        } else {
            recentIds[idHead] = fingerprint;
            idHead = (idHead + 1) % capacity;
        }
    }

    private void resize(int capacity) {
        long[] ordered = new long[capacity];
        int keep = Math.min(idCount, capacity);
        for (int i = 0; i < keep; i++) {
            ordered[i] = recentIds[(idHead + idCount - keep + i) % recentIds.length];
        }
        recentIds = ordered;
        idCount = keep;
        idHead = 0;
    }

    public byte[] encode() {
        StateWriter out = WRITER.get();
        out.reset();
        out.writeByte(VERSION);
        out.writeNullableString(sessionId);
        out.writeVarLong(turn);
        out.writeVarLong(recentIds.length);
        out.writeVarLong(idCount);
        int firstRun = Math.min(idCount, recentIds.length - idHead);   // oldest first: the ring's two runs
        out.writeLongs(recentIds, idHead, firstRun);
        out.writeLongs(recentIds, 0, idCount - firstRun);
        RegulatorStateCodec.write(regulator, out);
        detectors.write(out);
        spend.write(out);
        byte[] bytes = out.toByteArray();
        if (out.capacity() > KEPT_WRITER_BYTES) {
            WRITER.remove();
        }
        return bytes;
    }

    public static UserState decode(byte[] bytes) {
        return decode(bytes, DetectorRegistry.BUILT_IN);
    }

    /** A state as {@link #encode} wrote it; detector states are read by {@code registry}'s detectors. */
    public static UserState decode(byte[] bytes, DetectorRegistry registry) {
        StateReader in = new StateReader(bytes, 0);
        int version = in.readByte();
        if (version < 2 || version > VERSION) {
            throw new IllegalStateException("unknown user state version " + version);
        }
        String session = in.readNullableString();
        long turn = in.readVarLong();
        long capacity = in.readVarLong();
        int count = in.readCount();
        if (capacity > MAX_RECENT_IDS || count > capacity) {
            throw new IllegalStateException("implausible recent-id ring " + count + "/" + capacity);
        }
        long[] ids = new long[(int) capacity];
        for (int i = 0; i < count; i++) {
            ids[i] = in.readLong();
        }
        UserState state = new UserState(RegulatorStateCodec.read(in), session, turn);
        if (version >= 3) {
            state.detectors = DetectorStates.read(in, registry);
        }
        if (version >= 4) {
            state.spend = Spend.read(in);
        }
        state.recentIds = ids;
        state.idCount = count;
        return state;
    }
}
