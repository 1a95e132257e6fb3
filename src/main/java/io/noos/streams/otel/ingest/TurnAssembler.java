package io.noos.streams.otel.ingest;

import io.noos.streams.core.AgentEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Builds one turn (see {@link TurnGrouper}) into time-ordered events.
 *
 * <p>Reference-shape spans give the reference adapter's events unchanged: the TurnStart at the
 * start of the turn, the others at the span's end, in the adapter's order.
 *
 * <p>The other spans of the turn together make it (an agent loop has several model calls):
 *
 * <ul>
 *   <li>TurnStart: the new user message, at the start of the turn's first span, so that no event of
 *       the turn precedes it; a turn without one (before the first question, or without content) has
 *       none, unless empty turn starts are configured;
 *   <li>tools, counted once: each tool span gives a ToolCall at its start and a ToolResult at its end,
 *       joined with the model's tool call of the same {@code gen_ai.tool.call.id} (or, for a span
 *       without an id, the first earlier call of the same tool not yet joined), the arguments taken
 *       from whichever has them (else from a message of the turn's histories with that id); a tool
 *       call no span executed gives a ToolCall (no result) at its model call's end;
 *   <li>TurnComplete: the first-choice text of the last model call (by end) that has one, at its end;
 *   <li>Cost for every model call with usage, at its end, after the TurnComplete;
 *   <li>QualityFeedback for every evaluation, at its time.
 * </ul>
 *
 * <p>Agent spans ({@code invoke_agent}, {@code create_agent}) stand in for the model calls for each
 * of output, usage and tool calls only when no model call of the turn has it, so an agent's total
 * usage is never counted on top of its model calls' usage.
 */
final class TurnAssembler {

    /**
     * One assembled turn.
     *
     * @param turn   the turn
     * @param events its events in order (never empty)
     */
    record Assembled(TurnGrouper.Turn turn, List<TimedEvent> events) {
        long firstNanos() {
            return events.get(0).nanos();
        }
    }

    private static final Comparator<SpanFacts> BY_END =
            Comparator.comparingLong(SpanFacts::endNanos).thenComparing(TurnGrouper.BY_START);

    private final TurnGrouper.Turn turn;
    private final IngestOptions options;
    private final IngestReport.Builder report;
    private final long firstStart;
    private final List<TimedEvent> events = new ArrayList<>();

    private TurnAssembler(TurnGrouper.Turn turn, IngestOptions options, IngestReport.Builder report) {
        this.turn = turn;
        this.options = options;
        this.report = report;
        this.firstStart = turn.spans().get(0).startNanos();
    }

    /** The turn's events, or null when its spans give none. */
    static Assembled assemble(TurnGrouper.Turn turn, IngestOptions options, IngestReport.Builder report) {
        TurnAssembler assembler = new TurnAssembler(turn, options, report);
        assembler.addReferenceEvents();
        assembler.addCurrentShapeEvents();
        if (assembler.events.isEmpty()) {
            return null;
        }
        assembler.events.sort(TimedEvent.ORDER);
        return new Assembled(turn, List.copyOf(assembler.events));
    }

    private void add(long nanos, int rank, Location location, AgentEvent event) {
        events.add(new TimedEvent(nanos, rank, events.size(), location, event));
    }

    private void addReferenceEvents() {
        for (SpanFacts s : turn.spans()) {
            if (s.mapping() instanceof SpanFacts.Mapping.Reference reference) {
                for (AgentEvent e : reference.events()) {
                    add(e instanceof AgentEvent.TurnStart ? firstStart : s.endNanos(), TimedEvent.REFERENCE,
                            s.location(), e);
                }
            }
        }
    }

    private void addCurrentShapeEvents() {
        int firstCurrent = events.size();
        SpanFacts firstSpan = null;
        List<SpanFacts> models = new ArrayList<>();
        List<SpanFacts> agents = new ArrayList<>();
        List<SpanFacts> tools = new ArrayList<>();
        for (SpanFacts s : turn.spans()) {
            if (firstSpan == null && !(s.mapping() instanceof SpanFacts.Mapping.Reference)) {
                firstSpan = s;
            }
            if (s.mapping() instanceof SpanFacts.Mapping.ModelCall call) {
                (call.agent() ? agents : models).add(s);
            } else if (s.mapping() instanceof SpanFacts.Mapping.ToolExecution) {
                tools.add(s);
            }
        }
        addResponse(preferModels(models, agents, c -> outputText(c) != null));
        addCosts(models, agents);
        addTools(tools, preferModels(models, agents, c -> !outputToolCalls(c).isEmpty()), models, agents);
        for (SpanFacts s : turn.spans()) {
            for (SpanFacts.Evaluation e : s.evaluations()) {
                add(e.nanos(), TimedEvent.QUALITY, s.location(), new AgentEvent.QualityFeedback(e.score()));
            }
        }
        addTurnStart(firstSpan, events.size() > firstCurrent);
    }

    /** The model calls if any of them has the property, else the agent spans. */
    private static List<SpanFacts> preferModels(List<SpanFacts> models, List<SpanFacts> agents,
                                                Predicate<SpanFacts.Mapping.ModelCall> has) {
        return models.stream().anyMatch(s -> has.test(call(s))) ? models : agents;
    }

    private static SpanFacts.Mapping.ModelCall call(SpanFacts s) {
        return (SpanFacts.Mapping.ModelCall) s.mapping();
    }

    private static String outputText(SpanFacts.Mapping.ModelCall call) {
        return call.content().output() == null ? null : call.content().output().text();
    }

    private static List<ChatMessage.ToolCallPart> outputToolCalls(SpanFacts.Mapping.ModelCall call) {
        return call.content().output() == null ? List.of() : call.content().output().toolCalls();
    }

    private void addResponse(List<SpanFacts> candidates) {
        List<SpanFacts> withOutput = new ArrayList<>();
        for (SpanFacts s : candidates) {
            if (outputText(call(s)) != null) {
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
                report.count(IngestIssue.INTERMEDIATE_OUTPUT_DROPPED, s.location());
            }
        }
        add(last.endNanos(), TimedEvent.TURN_COMPLETE, last.location(), new AgentEvent.TurnComplete(outputText(call(last))));
    }

    private void addCosts(List<SpanFacts> models, List<SpanFacts> agents) {
        List<SpanFacts> source = preferModels(models, agents, c -> c.cost() != null);
        for (SpanFacts s : source) {
            if (call(s).cost() != null) {
                add(s.endNanos(), TimedEvent.COST, s.location(), call(s).cost());
            }
        }
        if (source == models) {
            for (SpanFacts agent : agents) {
                if (call(agent).cost() != null) {
                    report.count(IngestIssue.AGENT_USAGE_NOT_COUNTED, agent.location());
                }
            }
        }
    }

    /** A model's tool call and the call that asked for it. */
    private record Request(SpanFacts call, ChatMessage.ToolCallPart part) {}

    private void addTools(List<SpanFacts> tools, List<SpanFacts> requesting, List<SpanFacts> models,
                          List<SpanFacts> agents) {
        Map<String, String> argumentsById = new HashMap<>();
        for (List<SpanFacts> calls : List.of(models, agents)) {
            for (SpanFacts s : calls) {
                for (ChatMessage.ToolCallPart part : call(s).content().allToolCallParts()) {
                    if (part.id() != null && part.arguments() != null) {
                        argumentsById.putIfAbsent(part.id(), part.arguments());
                    }
                }
            }
        }
        List<SpanFacts> byEnd = new ArrayList<>(requesting);
        byEnd.sort(BY_END);
        List<Request> requests = new ArrayList<>();
        for (SpanFacts s : byEnd) {
            for (ChatMessage.ToolCallPart part : outputToolCalls(call(s))) {
                requests.add(new Request(s, part));
            }
        }
        List<Request> open = new ArrayList<>(requests);
        for (SpanFacts s : tools) {
            SpanFacts.Mapping.ToolExecution execution = (SpanFacts.Mapping.ToolExecution) s.mapping();
            Request request = matching(open, execution, s);
            open.remove(request);
            String id = execution.callId() != null ? execution.callId() : request == null ? null : request.part().id();
            String arguments = firstNonNull(execution.call().argsJson(),
                    request == null ? null : request.part().arguments(), id == null ? null : argumentsById.get(id));
            add(s.startNanos(), TimedEvent.TOOL_CALL, s.location(),
                    new AgentEvent.ToolCall(execution.call().toolName(), arguments));
            add(s.endNanos(), TimedEvent.TOOL_RESULT, s.location(), execution.result());
            if (request == null) {
                report.toolSpansOnly++;
            } else {
                report.toolCallsJoined++;
            }
        }
        for (Request r : open) {
            String arguments = firstNonNull(r.part().arguments(), r.part().id() == null ? null
                    : argumentsById.get(r.part().id()));
            add(r.call().endNanos(), TimedEvent.TOOL_CALL, r.call().location(),
                    new AgentEvent.ToolCall(r.part().name(), arguments));
            report.toolRequestsOnly++;
        }
    }

    /**
     * The open request a tool span executes: the one with its call id; for a span without a call id
     * (or whose id no request has), the first earlier request of the same tool without a different id.
     */
    private static Request matching(List<Request> open, SpanFacts.Mapping.ToolExecution execution, SpanFacts span) {
        if (execution.callId() != null) {
            for (Request r : open) {
                if (execution.callId().equals(r.part().id())) {
                    return r;
                }
            }
        }
        for (Request r : open) {
            if (r.part().name().equals(execution.call().toolName()) && r.call().endNanos() <= span.startNanos()
                    && (r.part().id() == null || execution.callId() == null)) {
                return r;
            }
        }
        return null;
    }

    /**
     * The TurnStart, at the start of the turn's first span; without a user message, an empty one
     * when configured. Also counts turns without input or without response.
     */
    private void addTurnStart(SpanFacts firstSpan, boolean hasCurrentEvents) {
        if (turn.referenceStart()) {
            return;
        }
        if (turn.startText() != null) {
            if (turn.withoutText()) {
                report.count(IngestIssue.USER_MESSAGE_WITHOUT_TEXT, turn.starter().location());
            }
            if (events.stream().noneMatch(e -> e.event() instanceof AgentEvent.TurnComplete)) {
                report.count(IngestIssue.TURN_WITHOUT_RESPONSE, turn.starter().location());
            }
            events.add(new TimedEvent(firstStart, TimedEvent.TURN_START, -1, turn.starter().location(),
                    new AgentEvent.TurnStart(turn.startText())));
            return;
        }
        if (firstSpan == null || !hasCurrentEvents) {
            return;
        }
        report.count(IngestIssue.TURN_WITHOUT_INPUT, firstSpan.location());
        if (options.emptyTurnStartWithoutInput()) {
            events.add(new TimedEvent(firstStart, TimedEvent.TURN_START, -1, firstSpan.location(),
                    new AgentEvent.TurnStart("")));
        }
    }

    private static String firstNonNull(String... candidates) {
        for (String c : candidates) {
            if (c != null) {
                return c;
            }
        }
        return null;
    }
}
