package io.noos.streams.otel.ingest;

/**
 * Why part of a span log could not be mapped, or was mapped with a fallback. Every occurrence is
 * counted in the {@link IngestReport}; nothing is dropped without a count.
 */
public enum IngestIssue {
    UNPARSEABLE_LINE("text that is not valid UTF-8 JSON (or a multi-line value cut short); skipped"),
    NOT_A_RECORD("JSON value that is neither a span, a log record nor an OTLP resourceSpans/resourceLogs batch; "
            + "skipped"),
    MALFORMED_ATTRIBUTE("OTLP attribute without a string key or with an unknown value kind; ignored"),
    NO_MAPPABLE_CONTENT("model call or tool span that yields no event (no messages, usage, tool name or "
            + "evaluation, on the span or in its log records)"),
    SPAN_WITHOUT_USER("span whose user attribute is on neither the span, its resource, its trace, (for a tool "
            + "span) the model call that requested it nor another span of its conversation; skipped, or given the "
            + "default user when one is configured"),
    SPAN_WITHOUT_TRACE_ID("span without a trace id: it takes its user and conversation from itself only"),
    INVALID_SPAN_TIMES("span start/end time missing, malformed or reversed; the other one is used (without either, "
            + "the time of the span read before it in the same file), duration 0"),
    LOG_WITHOUT_SPAN("GenAI log record whose trace and span ids (or gen_ai.response.id) match no span of the "
            + "input; not used (is the file of its spans missing from --input?)"),
    INVALID_TOKEN_COUNT("token count that is not a non-negative integer; ignored"),
    TOKEN_COUNT_OUT_OF_RANGE("token count above 2^32-1: truncated modulo 2^32 in reference-shape spans (reference "
            + "rule), clamped to 2^32-1 otherwise"),
    UNPARSEABLE_MESSAGES("gen_ai.input/output.messages that is not a message array (or JSON text of one); "
            + "ignored"),
    NON_STRING_CONTENT("message content or text part that is not text; ignored"),
    TOOL_WITHOUT_NAME("execute_tool span or tool call without a tool name; no tool event"),
    INVALID_EVALUATION_SCORE("gen_ai.evaluation.result without a numeric gen_ai.evaluation.score.value; "
            + "no quality_feedback"),
    OLD_SHAPE_UNREAD("reference-shape data the reference mapping (spec section 18) does not read: a message span "
            + "event after the first of its kind or without a string attributes.content, gen_ai.choice and other "
            + "span events, a tool message without gen_ai.tool.name, prompt_tokens/completion_tokens"),
    UNREAD_EVENT("gen_ai.* span event or log record that is not read (read: the message events, gen_ai.choice, "
            + "gen_ai.client.inference.operation.details, gen_ai.evaluation.result)"),
    USER_MESSAGE_WITHOUT_TEXT("a new user message whose content was not captured: its turn starts with an empty "
            + "turn_start"),
    TURN_WITHOUT_INPUT("GenAI activity before or without any user message (content capture off?): no turn_start, "
            + "unless empty turn starts are enabled; cost and tools still mapped"),
    TURN_WITHOUT_RESPONSE("turn with a user message but no output text: no turn_complete"),
    INTERMEDIATE_OUTPUT_DROPPED("output text of a model call that is not its turn's last; only the last "
            + "becomes the turn_complete"),
    AGENT_USAGE_NOT_COUNTED("token usage of an invoke_agent/create_agent span in a turn whose model calls "
            + "report usage; not counted twice");

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
