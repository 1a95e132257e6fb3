package io.noos.streams.testkit;

/** Envelope lines for hand-made logs, and the JSON of the events in them. */
public final class Logs {
    private Logs() {}

    /** {@code user}'s event at {@code at}, agent {@code agent-1}, session {@code <user>-s1}, no event id. */
    public static String line(String user, long at, String event) {
        return TestEvent.user(user).agent("agent-1").session(user + "-s1").at(at).json(event);
    }

    /**
     * A turn of 600 output tokens (over the default cost cap of 500) with three poor, steady
     * qualities, whose last event breaks on the cost cap (spec §13 rule 1): alice, agent-7, at 1..5.
     */
    public static String poorTurn() {
        TestEvent alice = TestEvent.user("alice").agent("agent-7");
        String poor = quality(0.2);
        return String.join("\n", alice.at(1).json(turnStart("summarize the quarterly report")),
                alice.at(2).json(cost(100, 600)), alice.at(3).json(poor), alice.at(4).json(poor), alice.at(5).json(poor));
    }

    /**
     * {@code users} users' turns for the bench commands, one line each of: a turn start, a token, a
     * tool call, a completion and a cost (4 decisions a user).
     */
    public static java.util.List<String> benchTurns(int users) {
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (int u = 0; u < users; u++) {
            String user = "user-" + u;
            long at = 1_000L * u;
            lines.add(line(user, at, turnStart("refactor this function to be async")));
            lines.add(line(user, at + 1, token()));
            lines.add(line(user, at + 2, toolCall("search")));
            lines.add(line(user, at + 3, turnComplete("made the function async")));
            lines.add(line(user, at + 4, cost(300)));
        }
        return lines;
    }

    public static String turnStart(String message) {
        return "{\"type\":\"turn_start\",\"user_message\":\"" + message + "\"}";
    }

    public static String turnComplete(String response) {
        return "{\"type\":\"turn_complete\",\"full_response\":\"" + response + "\"}";
    }

    public static String toolCall(String name) {
        return "{\"type\":\"tool_call\",\"tool_name\":\"" + name + "\",\"args_json\":null}";
    }

    /** A cost event of 100 tokens in and {@code tokensOut} out. */
    public static String cost(long tokensOut) {
        return cost(100, tokensOut);
    }

    public static String cost(long tokensIn, long tokensOut) {
        return cost(tokensIn, tokensOut, null);
    }

    /** A cost event of 900 ms from {@code provider} (null: none named). */
    public static String cost(long tokensIn, long tokensOut, String provider) {
        return "{\"type\":\"cost\",\"tokens_in\":" + tokensIn + ",\"tokens_out\":" + tokensOut
                + ",\"wallclock_ms\":900,\"provider\":" + (provider == null ? "null" : "\"" + provider + "\"") + "}";
    }

    public static String quality(double q) {
        return "{\"type\":\"quality_feedback\",\"quality\":" + q + ",\"fragment_spans\":null}";
    }

    /** A correction of the agent's last response. */
    public static String correction(String text) {
        return "{\"type\":\"user_correction\",\"correction_message\":\"" + text + "\",\"corrects_last\":true}";
    }

    public static String token() {
        return "{\"type\":\"token\",\"token\":\"x\",\"logprob\":-0.2,\"index\":0}";
    }
}
