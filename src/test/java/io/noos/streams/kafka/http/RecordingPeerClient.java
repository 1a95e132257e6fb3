package io.noos.streams.kafka.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A {@link PeerClient} that records what it was asked and answers from a table (host → body). */
final class RecordingPeerClient extends PeerClient {
    record Call(String hostPort, String pathAndQuery, String authorization) {}

    final List<Call> calls = new ArrayList<>();
    final Map<String, PeerResponse> answers = new HashMap<>();

    RecordingPeerClient() {
        super("self:1");
    }

    void answer(String hostPort, int status, String body) {
        answers.put(hostPort, new PeerResponse(status, ApiResponse.JSON, body.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    PeerResponse get(String hostPort, String pathAndQuery, String authorization) throws IOException {
        calls.add(new Call(hostPort, pathAndQuery, authorization));
        PeerResponse r = answers.get(hostPort);
        if (r == null) {
            throw new java.net.ConnectException("connection refused (test)");
        }
        return r;
    }
}
