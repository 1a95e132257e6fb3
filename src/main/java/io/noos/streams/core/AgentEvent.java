package io.noos.streams.core;

import java.util.List;
import java.util.Objects;

/**
 * One thing an agent reports about a turn. The eight types and their field names are those of the
 * reference regulator and the conformance vectors; {@link #type()} returns the vectors' tag.
 *
 * <p>Every record validates in its constructor: strings must be valid Unicode (no unpaired
 * surrogate), unsigned fields must be in range. Floating-point fields ({@code logprob},
 * {@code quality}) accept NaN and infinities, which the regulator treats as the spec says.
 * Unsigned 64-bit fields ({@code index}, {@code duration_ms}, span bounds) are held in a
 * {@code long} whose bits are read as unsigned.
 */
public sealed interface AgentEvent {

    /** The event's type tag, for example {@code "turn_start"}. */
    String type();

    /** The user sent a message: a new turn begins. */
    record TurnStart(String userMessage) implements AgentEvent {
        public TurnStart {
            FieldChecks.requireValidText(userMessage, "user_message");
        }

        @Override
        public String type() {
            return "turn_start";
        }
    }

    /** One streamed token with its log-probability; {@code index} is an unsigned 64-bit value. */
    record Token(String token, double logprob, long index) implements AgentEvent {
        public Token {
            FieldChecks.requireValidText(token, "token");
        }

        @Override
        public String type() {
            return "token";
        }
    }

    /** The agent's final response for the turn. */
    record TurnComplete(String fullResponse) implements AgentEvent {
        public TurnComplete {
            FieldChecks.requireValidText(fullResponse, "full_response");
        }

        @Override
        public String type() {
            return "turn_complete";
        }
    }

    /** Token spend and wall-clock time of one model call. The three counts are u32. */
    record Cost(long tokensIn, long tokensOut, long wallclockMs, String provider) implements AgentEvent {
        public Cost {
            FieldChecks.requireU32(tokensIn, "tokens_in");
            FieldChecks.requireU32(tokensOut, "tokens_out");
            FieldChecks.requireU32(wallclockMs, "wallclock_ms");
            FieldChecks.optionalValidText(provider, "provider");
        }

        @Override
        public String type() {
            return "cost";
        }
    }

    /** The user corrected the agent; only {@code correctsLast == true} is recorded. */
    record UserCorrection(String correctionMessage, boolean correctsLast) implements AgentEvent {
        public UserCorrection {
            FieldChecks.requireValidText(correctionMessage, "correction_message");
        }

        @Override
        public String type() {
            return "user_correction";
        }
    }

    /** A quality score for the last response; may be NaN or infinite (then it is not recorded). */
    record QualityFeedback(double quality, List<FragmentSpan> fragmentSpans) implements AgentEvent {
        public QualityFeedback {
            fragmentSpans = fragmentSpans == null ? null : List.copyOf(fragmentSpans);
        }

        public QualityFeedback(double quality) {
            this(quality, null);
        }

        @Override
        public String type() {
            return "quality_feedback";
        }
    }

    /** A {@code [start, end]} pair of unsigned 64-bit offsets; carried, never read by the regulator. */
    record FragmentSpan(long start, long end) {}

    /** The agent called a tool. {@code argsJson} is optional and never affects a decision. */
    record ToolCall(String toolName, String argsJson) implements AgentEvent {
        public ToolCall {
            FieldChecks.requireValidText(toolName, "tool_name");
            FieldChecks.optionalValidText(argsJson, "args_json");
        }

        @Override
        public String type() {
            return "tool_call";
        }
    }

    /** A tool returned. {@code durationMs} is an unsigned 64-bit value. */
    record ToolResult(String toolName, boolean success, long durationMs, String errorSummary) implements AgentEvent {
        public ToolResult {
            FieldChecks.requireValidText(toolName, "tool_name");
            FieldChecks.optionalValidText(errorSummary, "error_summary");
        }

        @Override
        public String type() {
            return "tool_result";
        }
    }

    /** Every type tag, in the order of the reference's enum. */
    List<String> TYPES = List.of("turn_start", "token", "turn_complete", "cost", "user_correction",
            "quality_feedback", "tool_call", "tool_result");

    static boolean isKnownType(String type) {
        return TYPES.contains(Objects.requireNonNull(type));
    }
}
