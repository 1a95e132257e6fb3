package io.noos.streams.avro;

import io.noos.streams.avro.schema.AgentEventEnvelope;
import io.noos.streams.avro.schema.Cost;
import io.noos.streams.avro.schema.FragmentSpan;
import io.noos.streams.avro.schema.QualityFeedback;
import io.noos.streams.avro.schema.Token;
import io.noos.streams.avro.schema.TokenBatch;
import io.noos.streams.avro.schema.ToolCall;
import io.noos.streams.avro.schema.ToolResult;
import io.noos.streams.avro.schema.TurnComplete;
import io.noos.streams.avro.schema.TurnStart;
import io.noos.streams.avro.schema.UserCorrection;
import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.InvalidEventException;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.pricing.Money;
import io.noos.streams.avro.schema.ReportedCost;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps {@link EventEnvelope} to the generated {@link AgentEventEnvelope} and back. Integer fields
 * are copied bit for bit (u64 fields are longs holding the unsigned bits on both sides); reading
 * back goes through the model's constructors, which validate (u32 ranges, valid Unicode,
 * non-empty {@code user_id}).
 */
final class EnvelopeMapper {
    private EnvelopeMapper() {}

    static AgentEventEnvelope toAvro(EventEnvelope envelope) {
        return AgentEventEnvelope.newBuilder()
                .setEventId(envelope.eventId())
                .setUserId(envelope.userId())
                .setAgentId(envelope.agentId())
                .setSessionId(envelope.sessionId())
                .setAtMs(envelope.atMs())
                .setEvent(eventToAvro(envelope.event()))
                .setModel(envelope.model())
                .setReportedCost(envelope.reportedCost() == null ? null : ReportedCost.newBuilder()
                        .setAmountMicros(envelope.reportedCost().micros())
                        .setCurrency(envelope.reportedCost().currency()).build())
                .build();
    }

    /** @throws InvalidEventException when a value is not acceptable to the model */
    static EventEnvelope fromAvro(AgentEventEnvelope avro) {
        ReportedCost cost = avro.getReportedCost();
        Money reported = null;
        if (cost != null) {
            if (cost.getAmountMicros() < 0) {
                throw new InvalidEventException("reported_cost.amount_micros must not be negative, got "
                        + cost.getAmountMicros());
            }
            try {
                reported = new Money(cost.getCurrency(), cost.getAmountMicros());
            } catch (IllegalArgumentException e) {
                throw new InvalidEventException("reported_cost: " + e.getMessage());
            }
        }
        return new EventEnvelope(avro.getEventId(), avro.getUserId(), avro.getAgentId(), avro.getSessionId(),
                avro.getAtMs(), eventFromAvro(avro.getEvent()), avro.getModel(), reported);
    }

    // ---------------------------------------------------------------- model -> Avro

    private static Object eventToAvro(EnvelopeEvent event) {
        if (event instanceof EnvelopeEvent.TokenBatch batch) {
            List<Double> logprobs = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                logprobs.add(batch.logprob(i));
            }
            return TokenBatch.newBuilder().setLogprobs(logprobs).build();
        }
        AgentEvent e = ((EnvelopeEvent.Single) event).event();
        if (e instanceof AgentEvent.TurnStart t) {
            return TurnStart.newBuilder().setUserMessage(t.userMessage()).build();
        } else if (e instanceof AgentEvent.Token t) {
            return Token.newBuilder().setToken(t.token()).setLogprob(t.logprob()).setIndex(t.index()).build();
        } else if (e instanceof AgentEvent.TurnComplete t) {
            return TurnComplete.newBuilder().setFullResponse(t.fullResponse()).build();
        } else if (e instanceof AgentEvent.Cost c) {
            return Cost.newBuilder().setTokensIn(c.tokensIn()).setTokensOut(c.tokensOut())
                    .setWallclockMs(c.wallclockMs()).setProvider(c.provider()).build();
        } else if (e instanceof AgentEvent.UserCorrection c) {
            return UserCorrection.newBuilder().setCorrectionMessage(c.correctionMessage())
                    .setCorrectsLast(c.correctsLast()).build();
        } else if (e instanceof AgentEvent.QualityFeedback q) {
            return QualityFeedback.newBuilder().setQuality(q.quality())
                    .setFragmentSpans(spansToAvro(q.fragmentSpans())).build();
        } else if (e instanceof AgentEvent.ToolCall c) {
            return ToolCall.newBuilder().setToolName(c.toolName()).setArgsJson(c.argsJson()).build();
        } else if (e instanceof AgentEvent.ToolResult r) {
            return ToolResult.newBuilder().setToolName(r.toolName()).setSuccess(r.success())
                    .setDurationMs(r.durationMs()).setErrorSummary(r.errorSummary()).build();
        }
        throw new IllegalStateException("unmapped event type " + e.type());
    }

    private static List<FragmentSpan> spansToAvro(List<AgentEvent.FragmentSpan> spans) {
        if (spans == null) {
            return null;
        }
        List<FragmentSpan> out = new ArrayList<>(spans.size());
        for (AgentEvent.FragmentSpan s : spans) {
            out.add(new FragmentSpan(s.start(), s.end()));
        }
        return out;
    }

    // ---------------------------------------------------------------- Avro -> model

    private static EnvelopeEvent eventFromAvro(Object event) {
        if (event instanceof TokenBatch b) {
            List<Double> list = b.getLogprobs();
            double[] logprobs = new double[list.size()];
            for (int i = 0; i < logprobs.length; i++) {
                logprobs[i] = list.get(i);
            }
            return new EnvelopeEvent.TokenBatch(logprobs);
        }
        return new EnvelopeEvent.Single(agentEventFromAvro(event));
    }

    private static AgentEvent agentEventFromAvro(Object event) {
        if (event instanceof TurnStart t) {
            return new AgentEvent.TurnStart(t.getUserMessage());
        } else if (event instanceof Token t) {
            return new AgentEvent.Token(t.getToken(), t.getLogprob(), t.getIndex());
        } else if (event instanceof TurnComplete t) {
            return new AgentEvent.TurnComplete(t.getFullResponse());
        } else if (event instanceof Cost c) {
            return new AgentEvent.Cost(c.getTokensIn(), c.getTokensOut(), c.getWallclockMs(), c.getProvider());
        } else if (event instanceof UserCorrection c) {
            return new AgentEvent.UserCorrection(c.getCorrectionMessage(), c.getCorrectsLast());
        } else if (event instanceof QualityFeedback q) {
            return new AgentEvent.QualityFeedback(q.getQuality(), spansFromAvro(q.getFragmentSpans()));
        } else if (event instanceof ToolCall c) {
            return new AgentEvent.ToolCall(c.getToolName(), c.getArgsJson());
        } else if (event instanceof ToolResult r) {
            return new AgentEvent.ToolResult(r.getToolName(), r.getSuccess(), r.getDurationMs(), r.getErrorSummary());
        }
        throw new InvalidEventException("event is of no known type: "
                + (event == null ? "null" : event.getClass().getName()));
    }

    private static List<AgentEvent.FragmentSpan> spansFromAvro(List<FragmentSpan> spans) {
        if (spans == null) {
            return null;
        }
        List<AgentEvent.FragmentSpan> out = new ArrayList<>(spans.size());
        for (FragmentSpan s : spans) {
            out.add(new AgentEvent.FragmentSpan(s.getStart(), s.getEnd()));
        }
        return out;
    }
}
