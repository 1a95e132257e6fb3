package io.noos.streams.otel.ingest;

import io.noos.streams.core.AgentEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * What one span contributes, with its JSON dropped: where it belongs (trace, user and conversation
 * candidates, agent), when it ran, and what it maps to. Spans are grouped into conversations, cut
 * into turns and assembled from these.
 *
 * @param location               where the span was read
 * @param indexInLine            position among the spans of that value
 * @param seq                    the order it was read in, over all inputs
 * @param traceId                trace id, or null
 * @param spanId                 span id, or null
 * @param startNanos             start time (after the fallbacks of {@link IngestIssue#INVALID_SPAN_TIMES})
 * @param endNanos               end time, never before the start
 * @param spanUser               user found on the span's own attributes, or null
 * @param resourceUser           user found on the span's resource, or null
 * @param conversationId         conversation id on the span (or on its operation-details events), or null
 * @param resourceConversationId conversation id on its resource, or null
 * @param agentId                {@code gen_ai.agent.id}, else {@code gen_ai.agent.name}, or null
 * @param responseId             {@code gen_ai.response.id}, or null
 * @param mapping                what the span maps to
 * @param evaluations            its {@code gen_ai.evaluation.result} events and log records
 */
record SpanFacts(Location location, int indexInLine, long seq, String traceId, String spanId, long startNanos,
                 long endNanos, String spanUser, String resourceUser, String conversationId,
                 String resourceConversationId, String agentId, String responseId, Mapping mapping,
                 List<Evaluation> evaluations) {

    SpanFacts {
        evaluations = List.copyOf(evaluations);
    }

    /** The span's duration in whole milliseconds. */
    long durationMs() {
        return (endNanos - startNanos) / 1_000_000L;
    }

    /** True when the span names a user, conversation or agent: then it helps place other spans. */
    boolean hasContext() {
        return spanUser != null || resourceUser != null || conversationId != null || resourceConversationId != null
                || agentId != null;
    }

    /** Whether the span gives any event. */
    boolean contributes() {
        return !(mapping instanceof Mapping.None) || !evaluations.isEmpty();
    }

    SpanFacts with(Mapping newMapping, List<Evaluation> moreEvaluations, String newConversationId) {
        List<Evaluation> all = new ArrayList<>(evaluations);
        all.addAll(moreEvaluations);
        return new SpanFacts(location, indexInLine, seq, traceId, spanId, startNanos, endNanos, spanUser, resourceUser,
                newConversationId, resourceConversationId, agentId, responseId, newMapping, all);
    }

    /** An evaluation score, placed at {@code nanos}. */
    record Evaluation(long nanos, double score) {}

    /** What a span maps to. */
    sealed interface Mapping {

        /**
         * Nothing: a span that is not GenAI, or a GenAI span with nothing to map (counted as
         * {@link IngestIssue#NO_MAPPABLE_CONTENT} for model calls and tools).
         *
         * @param genAi whether the span was a GenAI span
         */
        record None(boolean genAi) implements Mapping {}

        /** A span of the reference's shape: the reference adapter's events, exactly (spec section 18). */
        record Reference(List<AgentEvent> events) implements Mapping {
            public Reference {
                events = List.copyOf(events);
            }

            boolean startsTurn() {
                return !events.isEmpty() && events.get(0) instanceof AgentEvent.TurnStart;
            }
        }

        /**
         * A model call (chat, text completion, embeddings, ...) or an agent invocation
         * ({@code invoke_agent}, {@code create_agent}), current conventions.
         *
         * @param agent         true for an agent invocation span
         * @param content       its messages (from the span, or from its log records)
         * @param cost          token usage, or null when it reports none
         * @param finishReasons {@code gen_ai.response.finish_reasons} (or the choices' finish reasons)
         */
        record ModelCall(boolean agent, CallContent content, AgentEvent.Cost cost, List<String> finishReasons)
                implements Mapping {
            public ModelCall {
                finishReasons = List.copyOf(finishReasons);
            }

            /** Whether it finished asking for tools (the agent loop goes on), as far as it says. */
            boolean finishedForTools() {
                return finishReasons.stream().anyMatch(r -> r.startsWith("tool") || r.equals("function_call"))
                        || (content.output() != null && !content.output().toolCalls().isEmpty());
            }
        }

        /**
         * A tool execution span ({@code execute_tool}): the call at its start, the result at its end.
         *
         * @param call   the tool and its arguments (null when the span does not record them)
         * @param result the outcome
         * @param callId {@code gen_ai.tool.call.id}, or null
         */
        record ToolExecution(AgentEvent.ToolCall call, AgentEvent.ToolResult result, String callId)
                implements Mapping {}
    }
}
