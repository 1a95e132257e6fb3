package io.noos.streams.detect;

import java.util.List;

/** A detector's name, stage and parameters, given once in its constructor. */
public abstract class NamedDetector implements Detector {
    private final String name;
    private final Stage stage;
    private final List<DetectorParam> params;

    protected NamedDetector(String name, Stage stage, DetectorParam... params) {
        this.name = name;
        this.stage = stage;
        this.params = List.of(params);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Stage stage() {
        return stage;
    }

    @Override
    public final List<DetectorParam> params() {
        return params;
    }
}
