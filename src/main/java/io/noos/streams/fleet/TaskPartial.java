package io.noos.streams.fleet;

import io.noos.streams.core.StateReader;
import io.noos.streams.core.StateWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * One stream task's cumulative counts of one window and scope, as sent to be merged: the task id
 * makes a re-sent partial replace the earlier one instead of adding to it. Compact binary
 * ({@link #encode}), never JSON: partials are written to a store after every event.
 */
public record TaskPartial(String taskId, FleetWindowStats stats) {
    /**
     * 3: version 2 followed by the money (per currency: totals, top spenders, histograms; unpriced
     * costs). 2: version 1 followed by the user-spend histogram. Versions 1 and 2 are still read.
     */
    private static final int VERSION = 3;
    private static final int VERSION_WITHOUT_MONEY = 2;
    private static final int VERSION_WITHOUT_SPEND = 1;

    public byte[] encode() {
        StateWriter head = new StateWriter(64);
        writeHead(head);
        byte[] counters = head.toByteArray();
        byte[] collections = encodedCollections(stats);
        byte[] out = new byte[counters.length + collections.length];
        System.arraycopy(counters, 0, out, 0, counters.length);
        System.arraycopy(collections, 0, out, counters.length, collections.length);
        return out;
    }

    public static TaskPartial decode(byte[] bytes) {
        StateReader in = new StateReader(bytes, 0);
        return read(in);
    }

    /** Several partials in one value (the merge store keeps every task's partial of a key together). */
    public static byte[] encodeAll(List<TaskPartial> partials) {
        StateWriter count = new StateWriter(16);
        count.writeVarLong(partials.size());
        List<byte[]> parts = new ArrayList<>(partials.size() + 1);
        parts.add(count.toByteArray());
        int size = 0;
        for (TaskPartial p : partials) {
            parts.add(p.encode());
        }
        for (byte[] b : parts) {
            size += b.length;
        }
        byte[] out = new byte[size];
        int at = 0;
        for (byte[] b : parts) {
            System.arraycopy(b, 0, out, at, b.length);
            at += b.length;
        }
        return out;
    }

    public static List<TaskPartial> decodeAll(byte[] bytes) {
        StateReader in = new StateReader(bytes, 0);
        int n = in.readCount();
        List<TaskPartial> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(read(in));
        }
        return out;
    }

    private void writeHead(StateWriter out) {
        FleetWindowStats s = stats;
        out.writeByte(VERSION);
        out.writeNullableString(taskId);
        out.writeString(s.agentId());
        out.writeSignedVarLong(s.windowStartMs());
        out.writeVarLong(s.events);
        out.writeVarLong(s.turns);
        out.writeVarLong(s.tokensIn);
        out.writeVarLong(s.tokensOut);
        out.writeVarLong(s.toolCalls);
        out.writeVarLong(s.toolFailures);
        out.writeVarLong(s.implicitCorrections);
        out.writeVarLong(s.deadLetters);
        out.writeVarLong(s.lateEvents);
        for (long d : s.decisions) {
            out.writeVarLong(d);
        }
    }

    private static byte[] encodedCollections(FleetWindowStats s) {
        if (s.encodedCollections != null) {
            return s.encodedCollections;
        }
        StateWriter out = new StateWriter(256);
        writeCounts(s.otherDecisions, out);
        writeCounts(s.breaksByReason, out);
        out.writeVarLong(s.topUsers.size());
        for (FleetWindowStats.UserTokens u : s.topUsers) {
            out.writeString(u.userId());
            out.writeVarLong(u.tokensOut());
        }
        out.writeVarLong(s.latestBreaks.size());
        for (FleetWindowStats.Break b : s.latestBreaks) {
            out.writeString(b.userId());
            out.writeNullableString(b.agentId());
            out.writeString(b.reason());
            out.writeSignedVarLong(b.atMs());
        }
        s.userSpend.writeTo(out);
        writeCounts(s.spendMicros, out);
        out.writeVarLong(s.unpricedCosts);
        out.writeVarLong(s.topSpenders.size());
        s.topSpenders.forEach((currency, users) -> {
            out.writeString(currency);
            out.writeVarLong(users.size());
            for (FleetWindowStats.UserAmount u : users) {
                out.writeString(u.userId());
                out.writeVarLong(u.micros());
            }
        });
        out.writeVarLong(s.userMoney.size());
        s.userMoney.forEach((currency, h) -> {
            out.writeString(currency);
            h.writeTo(out);
        });
        s.encodedCollections = out.toByteArray();
        return s.encodedCollections;
    }

    private static void writeCounts(java.util.Map<String, Long> counts, StateWriter out) {
        out.writeVarLong(counts.size());
        counts.forEach((k, n) -> {
            out.writeString(k);
            out.writeVarLong(n);
        });
    }

    private static TaskPartial read(StateReader in) {
        int version = in.readByte();
        if (version < VERSION_WITHOUT_SPEND || version > VERSION) {
            throw new IllegalStateException("unknown fleet partial version " + version);
        }
        String task = in.readNullableString();
        FleetWindowStats s = new FleetWindowStats(in.readString(), in.readSignedVarLong());
        s.events = in.readVarLong();
        s.turns = in.readVarLong();
        s.tokensIn = in.readVarLong();
        s.tokensOut = in.readVarLong();
        s.toolCalls = in.readVarLong();
        s.toolFailures = in.readVarLong();
        s.implicitCorrections = in.readVarLong();
        s.deadLetters = in.readVarLong();
        s.lateEvents = in.readVarLong();
        for (int i = 0; i < s.decisions.length; i++) {
            s.decisions[i] = in.readVarLong();
        }
        readCounts(s.otherDecisions, in);
        readCounts(s.breaksByReason, in);
        int users = in.readCount();
        for (int i = 0; i < users; i++) {
            s.topUsers.add(new FleetWindowStats.UserTokens(in.readString(), in.readVarLong()));
        }
        int breaks = in.readCount();
        for (int i = 0; i < breaks; i++) {
            s.latestBreaks.add(new FleetWindowStats.Break(in.readString(), in.readNullableString(), in.readString(),
                    in.readSignedVarLong()));
        }
        if (version >= VERSION_WITHOUT_MONEY) {
            s.userSpend = SpendHistogram.readFrom(in);
        }
        if (version >= VERSION) {
            readCounts(s.spendMicros, in);
            s.unpricedCosts = in.readVarLong();
            int currencies = in.readCount();
            for (int i = 0; i < currencies; i++) {
                String currency = in.readString();
                int n = in.readCount();
                java.util.ArrayList<FleetWindowStats.UserAmount> spenders = new java.util.ArrayList<>(n);
                for (int j = 0; j < n; j++) {
                    spenders.add(new FleetWindowStats.UserAmount(in.readString(), in.readVarLong()));
                }
                s.topSpenders.put(currency, spenders);
            }
            currencies = in.readCount();
            for (int i = 0; i < currencies; i++) {
                s.userMoney.put(in.readString(), SpendHistogram.readFrom(in));
            }
        }
        return new TaskPartial(task, s);
    }

    private static void readCounts(java.util.Map<String, Long> counts, StateReader in) {
        int n = in.readCount();
        for (int i = 0; i < n; i++) {
            counts.put(in.readString(), in.readVarLong());
        }
    }
}
