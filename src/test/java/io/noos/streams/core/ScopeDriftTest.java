package io.noos.streams.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The spec's §8 table. */
class ScopeDriftTest {

    private static ScopeDrift drift(String task, String response) {
        return ScopeDrift.of(KeywordExtractor.rank20(task), KeywordExtractor.rank20(response));
    }

    @Test
    void tableOfSection8() {
        ScopeDrift d = drift("refactor this function to be async", "add logging and error handling");
        assertEquals(1.0, d.score());
        assertEquals(List.of("handling", "logging", "error"), d.driftTokens());

        d = drift("explain tokio runtime rust async",
                "Tokio is async Rust runtime for scheduling event driven tasks and timers");
        assertEquals(5.0 / 9.0, d.score());
        assertEquals(List.of("scheduling", "driven", "timers", "event", "tasks"), d.driftTokens());

        d = drift("asynchronous programming patterns", "async code patterns");
        assertEquals(1.0 / 3.0, d.score());
        assertEquals(List.of("code"), d.driftTokens());

        d = drift("fix bug", "fixture bugs arguments");
        assertEquals(1.0, d.score());
        assertEquals(List.of("arguments", "fixture", "bugs"), d.driftTokens());

        d = drift("refactor async function", "refactored async function completely");
        assertEquals(0.25, d.score());
        assertEquals(List.of("completely"), d.driftTokens());

        d = drift("refactor user authentication module support async operations proper error handling timeout "
                + "cases yaml", "users should configure timeout via yaml");
        assertEquals(0.4, d.score());
        assertEquals(List.of("configure", "via"), d.driftTokens());
    }

    @Test
    void absentWhenEitherBagIsEmpty() {
        assertNull(drift("is it ok?", "add logging"));
        assertNull(drift("refactor this", "ok"));
    }
}
