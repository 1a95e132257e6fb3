package io.noos.streams.kafka.topology;

import io.noos.streams.core.Regulator;
import io.noos.streams.core.RegulatorStateCodec;
import io.noos.streams.core.StateReader;
import io.noos.streams.core.StateWriter;

/**
 * Everything the service keeps for one user: the regulator's whole state plus what the service adds
 * (the user's current session, the turn index). Stored as one value per user in RocksDB.
 */
public final class UserState {
    private static final int VERSION = 1;

    private Regulator regulator;
    private String sessionId;
    private long turn;

    public UserState(Regulator regulator, String sessionId, long turn) {
        this.regulator = regulator;
        this.sessionId = sessionId;
        this.turn = turn;
    }

    public Regulator regulator() {
        return regulator;
    }

    public String sessionId() {
        return sessionId;
    }

    public long turn() {
        return turn;
    }

    void replaceRegulator(Regulator next) {
        regulator = next;
    }

    void setSessionId(String sessionId) {
        this.sessionId = sessionId;
    }

    void nextTurn() {
        turn++;
    }

    public byte[] encode() {
        StateWriter out = new StateWriter(1024);
        out.writeByte(VERSION);
        out.writeNullableString(sessionId);
        out.writeVarLong(turn);
        RegulatorStateCodec.write(regulator, out);
        return out.toByteArray();
    }

    public static UserState decode(byte[] bytes) {
        StateReader in = new StateReader(bytes, 0);
        int version = in.readByte();
        if (version != VERSION) {
            throw new IllegalStateException("unknown user state version " + version);
        }
        String session = in.readNullableString();
        long turn = in.readVarLong();
        return new UserState(RegulatorStateCodec.read(in), session, turn);
    }
}
