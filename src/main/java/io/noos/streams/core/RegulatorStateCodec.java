package io.noos.streams.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The whole state of a regulator (per-turn and persistent, unlike the reference's snapshot which
 * keeps only corrections), so a service restarted in the middle of a turn resumes exactly. Compact
 * binary: varints, raw doubles (bit-exact), UTF-8 strings. The first byte is a format version.
 */
public final class RegulatorStateCodec {
    static final int VERSION = 1;

    private RegulatorStateCodec() {}

    public static void write(Regulator r, StateWriter out) {
        out.writeByte(VERSION);
        out.writeString(r.userId);
        out.writeNullableString(r.learnedJson);

        TokenStatistics t = r.tokens;
        out.writeVarLong(t.size);
        for (int i = 0; i < t.size; i++) {
            out.writeDouble(t.valueAt(i));
        }
        out.writeVarLong(t.total);
        out.writeVarLong(t.unavailable);

        writeWords(r.taskKeywords.words(), out);
        writeWords(r.responseKeywords.words(), out);
        out.writeString(r.currentCluster);
        out.writeNullableString(r.pendingResponse);

        ToolCallTracker tools = r.tools;
        out.writeVarLong(tools.totalCalls);
        out.writeNullableString(tools.lastName);
        out.writeVarLong(tools.runLength);
        out.writeVarLong(tools.countsByName.size());
        for (Map.Entry<String, Long> e : tools.countsByName.entrySet()) {
            out.writeString(e.getKey());
            out.writeVarLong(e.getValue());
        }
        out.writeVarLong(tools.totalDurationMs);
        out.writeVarLong(tools.failureCount);

        CostQualityTracker c = r.costs;
        out.writeVarLong(c.capTokens);
        out.writeVarLong(c.tokensIn);
        out.writeVarLong(c.tokensOut);
        out.writeVarLong(c.wallclockMs);
        out.writeVarLong(c.costEvents);
        out.writeVarLong(c.qSize);
        for (int i = 0; i < c.qSize; i++) {
            out.writeDouble(c.qualityAt(i));
        }

        out.writeVarLong(r.corrections.records.size());
        for (Map.Entry<String, ArrayDeque<String>> e : r.corrections.records.entrySet()) {
            out.writeString(e.getKey());
            out.writeVarLong(e.getValue().size());
            for (String text : e.getValue()) {
                out.writeString(text);
            }
        }

        out.writeSignedVarLong(r.implicitWindowMs);
        out.writeBoolean(r.turnCompleteStamped);
        out.writeSignedVarLong(r.lastTurnCompleteAtMs);
        out.writeVarLong(r.implicitCount);
        out.writeDouble(r.driftThreshold);
    }

    public static byte[] encode(Regulator r) {
        StateWriter out = new StateWriter(512);
        write(r, out);
        return out.toByteArray();
    }

    public static Regulator decode(byte[] bytes) {
        return read(new StateReader(bytes, 0));
    }

    public static Regulator read(StateReader in) {
        int version = in.readByte();
        if (version != VERSION) {
            throw new IllegalStateException("unknown regulator state version " + version);
        }
        Regulator r = new Regulator(in.readString());
        r.learnedJson = in.readNullableString();

        int tokens = in.readCount();
        for (int i = 0; i < tokens; i++) {
            r.tokens.record(in.readDouble());
        }
        r.tokens.total = in.readVarLong();
        r.tokens.unavailable = in.readVarLong();

        r.taskKeywords = KeywordBag.of(readWords(in));
        r.responseKeywords = KeywordBag.of(readWords(in));
        r.currentCluster = in.readString();
        r.pendingResponse = in.readNullableString();

        ToolCallTracker tools = r.tools;
        tools.totalCalls = in.readVarLong();
        tools.lastName = in.readNullableString();
        tools.runLength = in.readVarLong();
        int names = in.readCount();
        for (int i = 0; i < names; i++) {
            tools.countsByName.put(in.readString(), in.readVarLong());
        }
        tools.totalDurationMs = in.readVarLong();
        tools.failureCount = in.readVarLong();

        CostQualityTracker c = r.costs;
        c.capTokens = in.readVarLong();
        c.tokensIn = in.readVarLong();
        c.tokensOut = in.readVarLong();
        c.wallclockMs = in.readVarLong();
        c.costEvents = in.readVarLong();
        int qualities = in.readCount();
        for (int i = 0; i < qualities; i++) {
            c.recordQuality(in.readDouble());
        }

        int clusters = in.readCount();
        for (int i = 0; i < clusters; i++) {
            String cluster = in.readString();
            int texts = in.readCount();
            for (int k = 0; k < texts; k++) {
                r.corrections.record(cluster, in.readString());
            }
        }

        r.implicitWindowMs = in.readSignedVarLong();
        r.turnCompleteStamped = in.readBoolean();
        r.lastTurnCompleteAtMs = in.readSignedVarLong();
        r.implicitCount = in.readVarLong();
        r.driftThreshold = in.readDouble();
        return r;
    }

    private static void writeWords(List<String> words, StateWriter out) {
        out.writeVarLong(words.size());
        for (String w : words) {
            out.writeString(w);
        }
    }

    private static List<String> readWords(StateReader in) {
        int n = in.readCount();
        List<String> words = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            words.add(in.readString());
        }
        return words;
    }
}
