package io.noos.streams.testkit;

/** Envelope lines for hand-made logs. */
public final class Logs {
    private Logs() {}

    public static String line(String user, long at, String event) {
        return "{\"user_id\":\"" + user + "\",\"agent_id\":\"agent-1\",\"session_id\":\"" + user + "-s1\",\"at_ms\":"
                + at + ",\"event\":" + event + "}";
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

    public static String cost(long tokensOut) {
        return "{\"type\":\"cost\",\"tokens_in\":100,\"tokens_out\":" + tokensOut + ",\"wallclock_ms\":900,\"provider\":null}";
    }

    public static String quality(double q) {
        return "{\"type\":\"quality_feedback\",\"quality\":" + q + ",\"fragment_spans\":null}";
    }

    public static String token() {
        return "{\"type\":\"token\",\"token\":\"x\",\"logprob\":-0.2,\"index\":0}";
    }
}
