package io.noos.streams.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import io.noos.streams.core.StateReader;
import io.noos.streams.core.StateWriter;
import io.noos.streams.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code repeated_identical_tool_call}: a loop guard on identical calls. Circuit break with that
 * reason once one tool has been called {@code count} times this turn with the same arguments
 * (anywhere in the turn, not only in a row). Arguments are compared as JSON values (key order and
 * whitespace do not matter); text that is not JSON is compared as it is; no arguments is a value of
 * its own. The break names the tool and a digest of the arguments (the first 16 hex digits of the
 * SHA-256 of their canonical form), never the arguments themselves. The reference's own loop check
 * (5 calls of one tool in a row, whatever the arguments) is unchanged and comes first.
 *
 * <p>At most {@value #TRACKED} distinct calls per turn are tracked; further distinct ones are not.
 */
public final class RepeatedIdenticalToolCallDetector extends NamedDetector {
    static final int TRACKED = 32;
    static final String SUGGESTION = "Agent repeated the same tool call with the same arguments. Break the loop: "
            + "re-prompt with the earlier result, change the approach, or escalate to the user.";

    public RepeatedIdenticalToolCallDetector() {
        super("repeated_identical_tool_call", Stage.BREAK,
                DetectorParam.integer("count", 3, 2, 1000, "identical calls in one turn that break"));
    }

    @Override
    public DetectorState newState() {
        return new State();
    }

    @Override
    public DetectorState readState(StateReader in) {
        State s = new State();
        int n = in.readCount();
        for (int i = 0; i < n; i++) {
            s.calls.add(new Call(in.readString(), in.readString(), in.readVarLong(), in.readVarLong()));
        }
        s.callsThisTurn = in.readVarLong();
        return s;
    }

    /** The digest of a call's arguments: 16 hex digits of the SHA-256 of their canonical JSON. */
    static String argumentsDigest(String argsJson) {
        String canonical = argsJson == null ? "\u0000none" : canonicalJson(argsJson);
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final ObjectWriter SORTED_KEYS =
            Json.mapper().writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    static String canonicalJson(String text) {
        try {
            JsonNode tree = Json.mapper().readTree(text);
            if (tree == null) {
                return text;
            }
            return SORTED_KEYS.writeValueAsString(Json.mapper().treeToValue(tree, Object.class));
        } catch (Exception notJson) {
            return text;
        }
    }

    record Call(String toolName, String digest, long count, long lastIndex) {}

    static final class State implements DetectorState {
        final List<Call> calls = new ArrayList<>();
        long callsThisTurn;

        @Override
        public void onEvent(AgentEvent event, long atMs, DetectorParams params) {
            if (event instanceof AgentEvent.TurnStart) {
                calls.clear();
                callsThisTurn = 0;
            } else if (event instanceof AgentEvent.ToolCall call) {
                callsThisTurn++;
                String digest = argumentsDigest(call.argsJson());
                for (int i = 0; i < calls.size(); i++) {
                    Call c = calls.get(i);
                    if (c.toolName().equals(call.toolName()) && c.digest().equals(digest)) {
                        calls.set(i, new Call(c.toolName(), digest, c.count() + 1, callsThisTurn));
                        return;
                    }
                }
                if (calls.size() < TRACKED) {
                    calls.add(new Call(call.toolName(), digest, 1, callsThisTurn));
                }
            }
        }

        @Override
        public Decision check(DetectorParams params, DetectionContext context) {
            long threshold = params.getLong("count");
            Call worst = null;
            for (Call c : calls) {
                if (c.count() >= threshold && (worst == null || c.count() > worst.count()
                        || (c.count() == worst.count() && c.lastIndex() > worst.lastIndex()))) {
                    worst = c;
                }
            }
            return worst == null ? null : new Decision.CircuitBreak(
                    new BreakReason.RepeatedIdenticalToolCall(worst.toolName(), worst.digest(), worst.count()), SUGGESTION);
        }

        @Override
        public void write(StateWriter out) {
            out.writeVarLong(calls.size());
            for (Call c : calls) {
                out.writeString(c.toolName());
                out.writeString(c.digest());
                out.writeVarLong(c.count());
                out.writeVarLong(c.lastIndex());
            }
            out.writeVarLong(callsThisTurn);
        }
    }
}
