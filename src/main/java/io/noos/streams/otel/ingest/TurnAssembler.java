package io.noos.streams.otel.ingest;

import io.noos.streams.core.AgentEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Builds one turn (the spans of one user's trace) into time-ordered events.
 *
 * <p>Old-shape spans give the reference adapter's events unchanged: the TurnStart at the span's
 * start, the others at its end, in the adapter's order.
 *
 * <p>New-shape spans of the trace together make one turn (an agent loop has several model calls):
 *
 * <ul>
 *   <li>TurnStart: the last user message of the first model call (by start) that has one, placed at
 *       the start of the turn's first mapped span (usually that model call; an {@code invoke_agent}
 *       span with usage or messages when there is one), so that no event of the turn precedes it;
 *   <li>ToolCall at each {@code execute_tool} span's start, ToolResult at its end; without any
 *       {@code execute_tool} span in the trace, the {@code tool_call} parts of the model outputs
 *       give ToolCalls (no results) at their model call's end;
 *   <li>TurnComplete: the first-choice text of the last model call (by end) that has one, at its end;
 *   <li>Cost for every model call with usage, at its end, after the TurnComplete;
 *   <li>QualityFeedback for every evaluation, at its time.
 * </ul>
 *
 * <p>Agent spans ({@code invoke_agent}, {@code create_agent}) stand in for the model calls for each
 * of input, output, usage and tool parts only when no model call of the trace has it, so an agent's
 * total usage is never counted on top of its model calls' usage.
 */
final class TurnAssembler {

    /**
     * One assembled turn.
     *
     * @param user      the user
     * @param sessionId see {@link TurnGrouper.Group#sessionId()}
     * @param agentId   see {@link TurnGrouper.Group#agentId()}
     * @param firstLine the first file line of its spans
     * @param events    its events in order (never empty)
     */
    record Turn(String user, String sessionId, String agentId, long firstLine, List<TimedEvent> events) {
        long firstNanos() {
            return events.get(0).nanos();
        }
    }

    private static final Comparator<SpanFacts> BY_START = Comparator.comparingLong(SpanFacts::startNanos)
            .thenComparingLong(SpanFacts::line).thenComparingInt(SpanFacts::indexInLine);
    private static final Comparator<SpanFacts> BY_END = Comparator.comparingLong(SpanFacts::endNanos)
            .thenComparing(BY_START);

    private final IngestOptions options;
    private final IngestReport.Builder report;
    private final List<TimedEvent> events = new ArrayList<>();

    private TurnAssembler(IngestOptions options, IngestReport.Builder report) {
        this.options = options;
        this.report = report;
    }

    /** The turn of one user's trace, or null when its spans give no event. */
    static Turn assemble(TurnGrouper.Group group, IngestOptions options, IngestReport.Builder report) {
        List<SpanFacts> sorted = new ArrayList<>(group.spans());
        sorted.sort(BY_START);
        TurnAssembler assembler = new TurnAssembler(options, report);
        assembler.addReferenceEvents(sorted);
        assembler.addCurrentShapeEvents(sorted);
        if (assembler.events.isEmpty()) {
            return null;
        }
        assembler.events.sort(TimedEvent.ORDER);
        long firstLine = sorted.stream().mapToLong(SpanFacts::line).min().orElseThrow();
        return new Turn(group.user(), group.sessionId(), group.agentId(), firstLine, List.copyOf(assembler.events));
    }

    private void add(long nanos, int rank, long line, AgentEvent event) {
        events.add(new TimedEvent(nanos, rank, events.size(), line, event));
    }

    private void addReferenceEvents(List<SpanFacts> spans) {
        for (SpanFacts s : spans) {
            if (s.mapping() instanceof SpanFacts.Mapping.Reference reference) {
                for (AgentEvent e : reference.events()) {
                    add(e instanceof AgentEvent.TurnStart ? s.startNanos() : s.endNanos(), TimedEvent.REFERENCE,
                            s.line(), e);
                }
            }
        }
    }

    private void addCurrentShapeEvents(List<SpanFacts> spans) {
        int firstCurrent = events.size();
        SpanFacts firstSpan = null;
        List<SpanFacts> models = new ArrayList<>();
        List<SpanFacts> agents = new ArrayList<>();
        List<SpanFacts> tools = new ArrayList<>();
        for (SpanFacts s : spans) {
            if (firstSpan == null && !(s.mapping() instanceof SpanFacts.Mapping.Reference)) {
                firstSpan = s;
            }
            if (s.mapping() instanceof SpanFacts.Mapping.ModelCall call) {
                (call.agent() ? agents : models).add(s);
            } else if (s.mapping() instanceof SpanFacts.Mapping.ToolExecution) {
                tools.add(s);
            }
        }
        SpanFacts inputSpan = firstInput(preferModels(models, agents, c -> c.input() != null));
        addResponse(preferModels(models, agents, c -> c.output() != null));
        addCosts(models, agents);
        addTools(tools, preferModels(models, agents, c -> !c.toolCalls().isEmpty()));
        for (SpanFacts s : spans) {
            for (SpanFacts.Evaluation e : s.evaluations()) {
                add(e.nanos(), TimedEvent.QUALITY, s.line(), new AgentEvent.QualityFeedback(e.score()));
            }
        }
        addTurnStart(inputSpan, firstSpan, List.copyOf(events.subList(firstCurrent, events.size())));
    }

    /** The model calls if any of them has the property, else the agent spans. */
    private static List<SpanFacts> preferModels(List<SpanFacts> models, List<SpanFacts> agents,
                                                Predicate<SpanFacts.Mapping.ModelCall> has) {
        return models.stream().anyMatch(s -> has.test(call(s))) ? models : agents;
    }

    private static SpanFacts.Mapping.ModelCall call(SpanFacts s) {
        return (SpanFacts.Mapping.ModelCall) s.mapping();
    }

    /** The first span with input; later ones with a different input are counted. */
    private SpanFacts firstInput(List<SpanFacts> candidates) {
        SpanFacts first = null;
        for (SpanFacts s : candidates) {
            if (call(s).input() == null) {
                continue;
            }
            if (first == null) {
                first = s;
            } else if (!call(s).input().equals(call(first).input())) {
                report.count(IngestIssue.LATER_USER_INPUT_DROPPED, s.line());
            }
        }
        return first;
    }

    private void addResponse(List<SpanFacts> candidates) {
        List<SpanFacts> withOutput = new ArrayList<>();
        for (SpanFacts s : candidates) {
            if (call(s).output() != null) {
                withOutput.add(s);
            }
        }
        if (withOutput.isEmpty()) {
            return;
        }
        withOutput.sort(BY_END);
        SpanFacts last = withOutput.get(withOutput.size() - 1);
        for (SpanFacts s : withOutput) {
            if (s != last) {
                report.count(IngestIssue.INTERMEDIATE_OUTPUT_DROPPED, s.line());
            }
        }
        add(last.endNanos(), TimedEvent.TURN_COMPLETE, last.line(), new AgentEvent.TurnComplete(call(last).output()));
    }

    private void addCosts(List<SpanFacts> models, List<SpanFacts> agents) {
        List<SpanFacts> source = preferModels(models, agents, c -> c.cost() != null);
        for (SpanFacts s : source) {
            if (call(s).cost() != null) {
                events.add(new TimedEvent(s.endNanos(), TimedEvent.COST, events.size(), s.line(), call(s).cost(),
                        call(s).model(), call(s).reportedCost()));
            }
        }
        if (source == models) {
            for (SpanFacts agent : agents) {
                if (call(agent).cost() != null) {
                    report.count(IngestIssue.AGENT_USAGE_NOT_COUNTED, agent.line());
                }
            }
        }
    }

    private void addTools(List<SpanFacts> tools, List<SpanFacts> toolCallParts) {
        for (SpanFacts s : tools) {
            SpanFacts.Mapping.ToolExecution execution = (SpanFacts.Mapping.ToolExecution) s.mapping();
            add(s.startNanos(), TimedEvent.TOOL_CALL, s.line(), execution.call());
            add(s.endNanos(), TimedEvent.TOOL_RESULT, s.line(), execution.result());
        }
        if (tools.isEmpty()) {
            for (SpanFacts s : toolCallParts) {
                for (AgentEvent.ToolCall part : call(s).toolCalls()) {
                    add(s.endNanos(), TimedEvent.TOOL_CALL, s.line(), part);
                }
            }
        }
    }

    /**
     * The TurnStart, at the start of the turn's first new-shape span (spans are in start order, and
     * no event of a span precedes its start); without input text, an empty one when configured.
     * Also counts turns without input or without response.
     */
    private void addTurnStart(SpanFacts inputSpan, SpanFacts firstSpan, List<TimedEvent> turnEvents) {
        if (firstSpan == null || (inputSpan == null && turnEvents.isEmpty())) {
            return;
        }
        String text;
        long line;
        if (inputSpan != null) {
            text = call(inputSpan).input();
            line = inputSpan.line();
            if (turnEvents.stream().noneMatch(e -> e.event() instanceof AgentEvent.TurnComplete)) {
                report.count(IngestIssue.TURN_WITHOUT_RESPONSE, line);
            }
        } else {
            line = firstSpan.line();
            report.count(IngestIssue.TURN_WITHOUT_INPUT, line);
            if (!options.emptyTurnStartWithoutInput()) {
                return;
            }
            text = "";
        }
        events.add(new TimedEvent(firstSpan.startNanos(), TimedEvent.TURN_START, -1, line,
                new AgentEvent.TurnStart(text)));
    }
}
