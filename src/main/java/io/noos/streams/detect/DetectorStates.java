package io.noos.streams.detect;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.Decision;
import io.noos.streams.core.StateReader;
import io.noos.streams.core.StateWriter;
import io.noos.streams.pricing.Money;
import java.util.List;

/**
 * One user's detector states, for the detectors enabled for that user. A detector's state starts
 * with the first event after it is enabled and is dropped when it is disabled. The verdicts join
 * the reference's decision by priority: the reference's circuit breaks, then the detectors' breaks,
 * then the reference's warnings, then the detectors' warnings, then continue.
 */
public final class DetectorStates {
    private static final String[] NO_NAMES = new String[0];
    private static final DetectorState[] NO_STATES = new DetectorState[0];

    private String[] names = NO_NAMES;
    private DetectorState[] states = NO_STATES;

    public boolean isEmpty() {
        return names.length == 0;
    }

    /** Applies a non-token event to every enabled detector's state, creating and dropping states as needed. */
    public void onEvent(AgentEvent event, long atMs, List<DetectorSettings.Active> active) {
        onEvent(event, atMs, active, null);
    }

    /** As {@link #onEvent(AgentEvent, long, List)}, with what a cost event cost (null: unpriced or not a cost). */
    public void onEvent(AgentEvent event, long atMs, List<DetectorSettings.Active> active, Money cost) {
        if (active.isEmpty()) {
            if (names.length > 0) {
                names = NO_NAMES;
                states = NO_STATES;
            }
            return;
        }
        sync(active);
        for (int i = 0; i < states.length; i++) {
            states[i].onEvent(event, atMs, active.get(i).params(), cost);
        }
    }

    private void sync(List<DetectorSettings.Active> active) {
        boolean same = names.length == active.size();
        for (int i = 0; same && i < names.length; i++) {
            same = names[i].equals(active.get(i).detector().name());
        }
        if (same) {
            return;
        }
        String[] nextNames = new String[active.size()];
        DetectorState[] nextStates = new DetectorState[active.size()];
        for (int i = 0; i < nextNames.length; i++) {
            Detector d = active.get(i).detector();
            nextNames[i] = d.name();
            DetectorState kept = stateOf(d.name());
            nextStates[i] = kept != null ? kept : d.newState();
        }
        names = nextNames;
        states = nextStates;
    }

    private DetectorState stateOf(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return states[i];
            }
        }
        return null;
    }

    /** {@code reference} (the regulator's decision) or a detector's verdict, by priority. */
    public Decision decide(Decision reference, List<DetectorSettings.Active> active, DetectionContext context) {
        if (active.isEmpty() || reference instanceof Decision.CircuitBreak) {
            return reference;
        }
        Decision found = firstVerdict(Detector.Stage.BREAK, active, context);
        if (found != null) {
            return found;
        }
        if (!(reference instanceof Decision.Continue)) {
            return reference;
        }
        found = firstVerdict(Detector.Stage.WARNING, active, context);
        return found != null ? found : reference;
    }

    private Decision firstVerdict(Detector.Stage stage, List<DetectorSettings.Active> active, DetectionContext context) {
        for (DetectorSettings.Active a : active) {
            boolean own = a.detector().stage() == stage;
            if (!own && stage != Detector.Stage.WARNING) {
                continue;
            }
            DetectorState state = stateOf(a.detector().name());
            Decision verdict = state == null ? null
                    : own ? state.check(a.params(), context) : state.warning(a.params(), context);
            if (verdict != null) {
                return verdict;
            }
        }
        return null;
    }

    /** Count, then per state its detector's name and its bytes (length-prefixed, so unknown ones can be skipped). */
    public void write(StateWriter out) {
        out.writeVarLong(names.length);
        for (int i = 0; i < names.length; i++) {
            out.writeString(names[i]);
            StateWriter one = new StateWriter(64);
            states[i].write(one);
            byte[] bytes = one.toByteArray();
            out.writeVarLong(bytes.length);
            out.writeBytes(bytes);
        }
    }

    /** States as {@link #write} wrote them; a detector {@code registry} no longer has is dropped. */
    public static DetectorStates read(StateReader in, DetectorRegistry registry) {
        DetectorStates s = new DetectorStates();
        int count = in.readCount();
        if (count == 0) {
            return s;
        }
        String[] names = new String[count];
        DetectorState[] states = new DetectorState[count];
        int kept = 0;
        for (int i = 0; i < count; i++) {
            String name = in.readString();
            byte[] bytes = in.readBytes(in.readCount());
            Detector d = registry.detectors().stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
            if (d != null) {
                names[kept] = name;
                states[kept++] = d.readState(new StateReader(bytes, 0));
            }
        }
        s.names = java.util.Arrays.copyOf(names, kept);
        s.states = java.util.Arrays.copyOf(states, kept);
        return s;
    }
}
