package io.noos.streams.otel.ingest;

/**
 * Why part of a span log could not be mapped, or was mapped with a fallback. Every occurrence is
 * counted in the {@link IngestReport}; nothing is dropped without a count.
 */
public enum IngestIssue {
    UNPARSEABLE_LINE("line is not valid UTF-8 JSON; skipped"),
    NOT_A_SPAN("JSON value that is neither a span object nor an OTLP resourceSpans batch; skipped"),
    MALFORMED_ATTRIBUTE("OTLP attribute without a string key or with an unknown value kind; ignored"),
    NOT_GENAI_SPAN("span without gen_ai.* attributes or events; used only to find its trace's user"),
    NO_MAPPABLE_CONTENT("GenAI span that yields no event (no messages, usage, tool or evaluation)"),
    SPAN_WITHOUT_USER("span whose user attribute is on neither the span, its resource nor its trace; "
            + "skipped, or given the default user when one is configured"),
    SPAN_WITHOUT_TRACE_ID("span without a trace id; it forms a turn of its own"),
    INVALID_SPAN_TIMES("span start/end time missing, malformed or reversed; the other one (or 0) is used, "
            + "duration 0"),
    INVALID_TOKEN_COUNT("token count that is not a non-negative integer; ignored"),
    TOKEN_COUNT_OUT_OF_RANGE("token count above 2^32-1: truncated modulo 2^32 in old-shape spans (reference "
            + "rule), clamped to 2^32-1 in new-shape spans"),
    UNPARSEABLE_MESSAGES("gen_ai.input/output.messages that is not a message array (or JSON text of one); "
            + "ignored"),
    NON_STRING_CONTENT("text part whose content is not a string; ignored"),
    TOOL_WITHOUT_NAME("execute_tool span or tool_call part without a tool name; no tool event"),
    INVALID_EVALUATION_SCORE("gen_ai.evaluation.result event without a numeric gen_ai.evaluation.score.value; "
            + "no quality_feedback"),
    OLD_SHAPE_UNREAD("old-shape data the reference mapping (spec section 18) does not read: a message event after "
            + "the first of its kind or without a string attributes.content, gen_ai.choice and other events, a "
            + "tool message without gen_ai.tool.name, prompt_tokens/completion_tokens"),
    UNREAD_EVENT("gen_ai.* span event of a new-shape span that is not read (only gen_ai.evaluation.result and "
            + "gen_ai.client.inference.operation.details are)"),
    TURN_WITHOUT_INPUT("trace with GenAI activity but no user message text (content capture off?): no "
            + "turn_start, unless empty turn starts are enabled; cost and tools still mapped"),
    TURN_WITHOUT_RESPONSE("trace with a user message but no output text: no turn_complete"),
    LATER_USER_INPUT_DROPPED("a later model call of the trace has a different last user message; only the "
            + "first becomes the turn_start"),
    INTERMEDIATE_OUTPUT_DROPPED("output text of a model call that is not the trace's last; only the last "
            + "becomes the turn_complete"),
    AGENT_USAGE_NOT_COUNTED("token usage of an invoke_agent/create_agent span in a trace whose model spans "
            + "report usage; not counted twice"),
    INVALID_COST_AMOUNT("gen_ai.usage.cost.amount that is not a non-negative decimal, or without an ISO 4217 "
            + "gen_ai.usage.cost.currency; ignored (the cost is priced from the price table, if at all)");

    private final String description;

    IngestIssue(String description) {
        this.description = description;
    }

    /** What the issue means and what was done about it. */
    public String description() {
        return description;
    }

    /** The issue's name in lower case, for reports: {@code span_without_user}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
