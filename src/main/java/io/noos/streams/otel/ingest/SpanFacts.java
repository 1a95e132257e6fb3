package io.noos.streams.otel.ingest;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.pricing.Money;
import java.util.List;

/**
 * What one span contributes, with its JSON dropped: where it belongs (trace, user candidates,
 * conversation, agent), when it ran, and what it maps to. Spans are grouped into turns and
 * assembled from these.
 *
 * @param line           line of the file (from 1)
 * @param indexInLine    position among the spans of that line
 * @param traceId        trace id, or null
 * @param startNanos     start time (after the fallbacks of {@link IngestIssue#INVALID_SPAN_TIMES})
 * @param endNanos       end time, never before the start
 * @param spanUser       user found on the span's own attributes, or null
 * @param resourceUser   user found on the span's resource, or null
 * @param conversationId {@code gen_ai.conversation.id}, or null
 * @param agentId        {@code gen_ai.agent.id}, else {@code gen_ai.agent.name}, or null
 * @param mapping        what the span maps to
 * @param evaluations    its {@code gen_ai.evaluation.result} events (new shape only)
 */
record SpanFacts(long line, int indexInLine, String traceId, long startNanos, long endNanos, String spanUser,
                 String resourceUser, String conversationId, String agentId, Mapping mapping,
                 List<Evaluation> evaluations) {

    SpanFacts {
        evaluations = List.copyOf(evaluations);
    }

    /** The span's duration in whole milliseconds. */
    long durationMs() {
        return (endNanos - startNanos) / 1_000_000L;
    }

    /** An evaluation score, placed at {@code nanos}. */
    record Evaluation(long nanos, double score) {}

    /** What a span maps to. */
    sealed interface Mapping {

        /** Nothing: not a GenAI span, or nothing mappable in it (counted). */
        record None() implements Mapping {}

        /** An old-shape span: the reference adapter's events, exactly (spec section 18). */
        record Reference(List<AgentEvent> events) implements Mapping {
            public Reference {
                events = List.copyOf(events);
            }
        }

        /**
         * A model call (chat, text completion, embeddings, ...) or an agent invocation
         * ({@code invoke_agent}, {@code create_agent}), current conventions.
         *
         * @param agent     true for an agent invocation span
         * @param input     text of the last user message, or null
         * @param output    text of the first output message, or null
         * @param toolCalls {@code tool_call} parts of the first output message
         * @param cost      token usage, or null when the span reports none
         * @param model     {@code gen_ai.response.model}, else {@code gen_ai.request.model}, else null
         * @param reportedCost {@code gen_ai.usage.cost.amount} in {@code gen_ai.usage.cost.currency}, or null
         */
        record ModelCall(boolean agent, String input, String output, List<AgentEvent.ToolCall> toolCalls,
                         AgentEvent.Cost cost, String model, Money reportedCost) implements Mapping {
            public ModelCall {
                toolCalls = List.copyOf(toolCalls);
            }
        }

        /** An {@code execute_tool} span: the call at its start, the result at its end. */
        record ToolExecution(AgentEvent.ToolCall call, AgentEvent.ToolResult result) implements Mapping {}
    }
}
