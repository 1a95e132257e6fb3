package io.noos.streams.detect;

import io.noos.streams.core.StateReader;
import java.util.List;

/**
 * An opt-in check the reference regulator lacks. Off unless enabled (configuration
 * {@code noos.detector.<name>.enabled=true} or a policy), so the defaults decide exactly as the
 * reference. A detector is one class: its name, its place in the priority order, its parameters,
 * and the per-user state that watches the user's events. It becomes active by being listed in
 * {@link DetectorRegistry#BUILT_IN}; nothing else (topology, replay, service) needs to change.
 */
public interface Detector {

    /** The name in the configuration, the policies and the docs ({@code snake_case}). */
    String name();

    /** Where its verdict sits in the priority order. */
    Stage stage();

    /** Its parameters besides {@code enabled}, with defaults and bounds. */
    List<DetectorParam> params();

    /** A user's state, when the detector is first enabled for the user. */
    DetectorState newState();

    /** A user's state as {@link DetectorState#write} wrote it. */
    DetectorState readState(StateReader in);

    /**
     * {@code BREAK}: after the reference's circuit breaks, before any warning. {@code WARNING}: after
     * the reference's warnings, before continue. Within a stage, in the registry's order.
     */
    enum Stage { BREAK, WARNING }
}
