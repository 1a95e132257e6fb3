package io.noos.streams.tools.report;

/** Envelope lines for hand-made logs. */
final class Logs {
    private Logs() {}

    static String line(String user, long at, String event) {
        return "{\"user_id\":\"" + user + "\",\"agent_id\":\"agent-1\",\"session_id\":\"" + user + "-s1\",\"at_ms\":"
                + at + ",\"event\":" + event + "}";
    }

    static String turnStart(String message) {
        return "{\"type\":\"turn_start\",\"user_message\":\"" + message + "\"}";
    }

    static String turnComplete(String response) {
        return "{\"type\":\"turn_complete\",\"full_response\":\"" + response + "\"}";
    }

    static String toolCall(String name) {
        return "{\"type\":\"tool_call\",\"tool_name\":\"" + name + "\",\"args_json\":null}";
    }

    static String cost(long tokensOut) {
        return "{\"type\":\"cost\",\"tokens_in\":100,\"tokens_out\":" + tokensOut + ",\"wallclock_ms\":900,\"provider\":null}";
    }

    static String quality(double q) {
        return "{\"type\":\"quality_feedback\",\"quality\":" + q + ",\"fragment_spans\":null}";
    }

    static String token() {
        return "{\"type\":\"token\",\"token\":\"x\",\"logprob\":-0.2,\"index\":0}";
    }
}
