#!/usr/bin/python3
"""An orchestrator wired to noos-streams in Python: send each agent event, await its decision, act.

The same contract as the Java client (io.noos.streams.clients.orchestrator.OrchestratorClient),
with a real Kafka client (Debian: apt-get install python3-confluent-kafka; run with /usr/bin/python3):

* events go to the input topic keyed by user id, into the partition Kafka's Java default
  partitioner gives that key (murmur2, below); an event without "event_id" gets a UUIDv7;
* the service writes each event's decision record to the decisions partition numbered as the
  event's partition (both topics have the same partition count; checked at start), so the client
  reads only the decision partitions of the users it has events in flight for, assigned directly
  (no consumer group, nothing committed), from the end offset looked up before the event is sent;
* a decision is matched to its event by the record's key (the user) and its "event_id"; a
  decision that does not come within the timeout fails the future with DecisionTimeout;
* streamed tokens are coalesced into "token_batch" events (the service applies a batch exactly as
  that many "token" events), flushed by count, by age, and before the user's next other event.

Run it:
  /usr/bin/python3 orchestrator.py --bootstrap-servers localhost:9092 --demo
  /usr/bin/python3 orchestrator.py --bootstrap-servers B --replay events.jsonl   (one decision per line out)
"""
import argparse
import concurrent.futures
import json
import math
import os
import queue
import sys
import threading
import time
import uuid

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition


class DecisionTimeout(Exception):
    """No decision arrived for an event within the timeout (the service may be down or lagging)."""


def murmur2(data):
    """Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2), as an unsigned 32-bit value."""
    m, r = 0x5BD1E995, 24
    length = len(data)
    h = (0x9747B28C ^ length) & 0xFFFFFFFF
    for i in range(length // 4):
        k = data[4 * i] | data[4 * i + 1] << 8 | data[4 * i + 2] << 16 | data[4 * i + 3] << 24
        k = (k * m) & 0xFFFFFFFF
        k ^= k >> r
        k = (k * m) & 0xFFFFFFFF
        h = ((h * m) & 0xFFFFFFFF) ^ k
    tail = length & ~3
    rest = length % 4
    if rest == 3:
        h ^= data[tail + 2] << 16
    if rest >= 2:
        h ^= data[tail + 1] << 8
    if rest >= 1:
        h ^= data[tail]
        h = (h * m) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * m) & 0xFFFFFFFF
    h ^= h >> 15
    return h


def partition_of(user_id, partitions):
    """The partition of a user's events and decisions: Java's default partitioner on the UTF-8 key."""
    return (murmur2(user_id.encode("utf-8")) & 0x7FFFFFFF) % partitions


_last_ms = [0, 0]
_uuid_lock = threading.Lock()


def uuid7():
    """A time-ordered event id (RFC 9562 version 7; a counter keeps ids of one process increasing)."""
    with _uuid_lock:
        ms = time.time_ns() // 1_000_000
        if ms > _last_ms[0]:
            _last_ms[0], _last_ms[1] = ms, int.from_bytes(os.urandom(2), "big") & 0x7FF
        else:
            _last_ms[1] += 1
            if _last_ms[1] > 0xFFF:
                _last_ms[0], _last_ms[1] = _last_ms[0] + 1, 0
        ms, counter = _last_ms
    rand = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    return str(uuid.UUID(int=(ms & (1 << 48) - 1) << 80 | 0x7 << 76 | counter << 64 | 0b10 << 62 | rand))


class Orchestrator:
    """Sends events, returns a future of each event's decision record (a dict). Thread-safe."""

    def __init__(self, bootstrap, input_topic="agent-events", decisions_topic="regulator-decisions",
                 timeout_s=10.0, batch_tokens=256, batch_delay_s=0.1, linger_s=10.0, extra=None):
        common = {"bootstrap.servers": bootstrap, **(extra or {})}
        self.input_topic, self.decisions_topic, self.timeout_s = input_topic, decisions_topic, timeout_s
        self.batch_tokens, self.batch_delay_s, self.linger_s = batch_tokens, batch_delay_s, linger_s
        self.producer = Producer({**common, "acks": "all", "enable.idempotence": True, "linger.ms": 1})
        # librdkafka wants a group id, but assign() never joins the group and nothing is committed.
        self.consumer = Consumer({**common, "group.id": "noos-orchestrator-" + uuid7(),
                                  "enable.auto.commit": False, "isolation.level": "read_committed",
                                  "auto.offset.reset": "latest", "fetch.wait.max.ms": 50})
        metadata = self.consumer.list_topics(timeout=15)
        counts = {}
        for topic in (input_topic, decisions_topic):
            t = metadata.topics.get(topic)
            if t is None or t.error is not None or not t.partitions:
                raise RuntimeError("topic %s does not exist; start the service first (it creates its topics)" % topic)
            counts[topic] = len(t.partitions)
        if counts[input_topic] != counts[decisions_topic]:
            raise RuntimeError("topic %s has %d partitions but %s has %d; they must be equal" % (
                decisions_topic, counts[decisions_topic], input_topic, counts[input_topic]))
        self.partitions = counts[input_topic]
        self.lock = threading.Lock()
        self.in_flight = {}        # (user, event_id) -> (future, sent monotonic time, partition)
        self.ready = {}            # decisions partition -> threading.Event, set once assigned at its end offset
        self.idle_since = {}       # decisions partition -> when its last event in flight was settled
        self.requests = queue.Queue()
        self.tokens = {}           # user -> [agent, session, at_ms, [logprobs], started monotonic time]
        self.latencies_ms = []
        self.token_batches = 0
        self.timeouts = 0
        self.closed = False
        self.reader = threading.Thread(target=self._read, name="noos-decisions", daemon=True)
        self.reader.start()

    # ------------------------------------------------------------------ sending

    def send(self, envelope):
        """Sends an event that gets a decision (not a token); returns a Future of its decision record."""
        if envelope["event"]["type"] in ("token", "token_batch"):
            raise ValueError("tokens get no decision: use token()")
        envelope = dict(envelope)
        envelope.setdefault("event_id", uuid7())
        user, partition = envelope["user_id"], partition_of(envelope["user_id"], self.partitions)
        key = (user, envelope["event_id"])
        with self.lock:
            if key in self.in_flight:
                return self.in_flight[key][0]
            future = concurrent.futures.Future()
            self.in_flight[key] = (future, time.monotonic(), partition)
            self.idle_since.pop(partition, None)
            ready = self.ready.get(partition)
            if ready is None:
                ready = self.ready[partition] = threading.Event()
                self.requests.put(partition)
        if not ready.wait(self.timeout_s):
            self._settle(key, error=DecisionTimeout("decisions partition %d could not be read" % partition))
            return future
        self._flush_tokens(user)
        self.producer.produce(self.input_topic, key=user.encode("utf-8"), partition=partition,
                              value=json.dumps(envelope).encode("utf-8"))
        self.producer.poll(0)
        return future

    def token(self, user_id, agent_id, session_id, at_ms, logprob):
        """Buffers one streamed token; sent as a token_batch (no decision)."""
        with self.lock:
            buffered = self.tokens.get(user_id)
            if buffered is not None and (buffered[0], buffered[1]) != (agent_id, session_id):
                buffered = None
                self._flush_tokens_locked(user_id)
            if buffered is None:
                buffered = self.tokens[user_id] = [agent_id, session_id, at_ms, [], time.monotonic()]
            buffered[3].append(logprob)
            if len(buffered[3]) >= self.batch_tokens:
                self._flush_tokens_locked(user_id)

    def _flush_tokens(self, user_id):
        with self.lock:
            self._flush_tokens_locked(user_id)

    def _flush_tokens_locked(self, user_id):
        buffered = self.tokens.pop(user_id, None)
        if not buffered or not buffered[3]:
            return
        agent, session, at_ms, logprobs, _ = buffered
        batch = {"event_id": uuid7(), "user_id": user_id, "agent_id": agent, "session_id": session, "at_ms": at_ms,
                 "event": {"type": "token_batch", "logprobs": logprobs}}
        self.producer.produce(self.input_topic, key=user_id.encode("utf-8"),
                              partition=partition_of(user_id, self.partitions), value=json.dumps(batch).encode("utf-8"))
        self.token_batches += 1

    def _settle(self, key, record=None, error=None):
        """Completes an event's future (once), with its decision or an error."""
        with self.lock:
            entry = self.in_flight.pop(key, None)   # None: another client's event, a duplicate, or settled
            if entry is None:
                return
            if not any(p == entry[2] for _, _, p in self.in_flight.values()):
                self.idle_since[entry[2]] = time.monotonic()
            if record is not None:
                self.latencies_ms.append((time.monotonic() - entry[1]) * 1000)
            elif isinstance(error, DecisionTimeout):
                self.timeouts += 1
        if record is not None:
            entry[0].set_result(record)
        else:
            entry[0].set_exception(error)

    # ------------------------------------------------------------------ reading

    def _read(self):
        while not self.closed:
            while not self.requests.empty():   # a partition to read: from its end offset, taken now
                partition = self.requests.get()
                tp = TopicPartition(self.decisions_topic, partition)
                _, end = self.consumer.get_watermark_offsets(tp, timeout=10)
                self.consumer.incremental_assign([TopicPartition(self.decisions_topic, partition, end)])
                self.ready[partition].set()
            now = time.monotonic()
            with self.lock:
                for user in [u for u, b in self.tokens.items() if now - b[4] >= self.batch_delay_s]:
                    self._flush_tokens_locked(user)   # tokens older than the batch delay go out
                expired = [k for k, (_, sent, _) in self.in_flight.items() if now - sent >= self.timeout_s]
                idle = [p for p, since in self.idle_since.items() if now - since >= self.linger_s]
                for p in idle:   # no event in flight for a while: stop reading the partition
                    del self.idle_since[p], self.ready[p]
            for key in expired:
                self._settle(key, error=DecisionTimeout("no decision for event %s of user %s within %.1f s"
                                                        % (key[1], key[0], self.timeout_s)))
            if idle:
                self.consumer.incremental_unassign([TopicPartition(self.decisions_topic, p) for p in idle])
            self.producer.poll(0)
            if not self.ready:
                time.sleep(0.05)
                continue
            message = self.consumer.poll(0.05)
            if message is None or message.error() is not None or message.value() is None or message.key() is None:
                continue
            record = json.loads(message.value())
            self._settle((message.key().decode("utf-8"), record.get("event_id")), record=record)

    def close(self):
        for user in list(self.tokens):
            self._flush_tokens(user)
        self.producer.flush(10)
        self.closed = True
        self.reader.join(5)
        self.consumer.close()


def act(decision):
    """What an orchestrator does with a decision before the agent's next step."""
    d = decision["decision"]
    if d["kind"] == "circuit_break":
        return "halt: stop the agent now (%s); no further tool call" % d["reason"]["kind"]
    if d["kind"] == "procedural_warning":
        return "re-prompt with the prelude: " + (decision["prelude"] or "")[:60] + "..."
    if d["kind"] == "scope_drift_warn":
        return "trim or retry the answer: it drifted off the task (score %.2f)" % d["drift_score"]
    return "continue"


def percentile(values, q):
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(len(ordered) * q) - 1)], 1) if ordered else None


def replay(client, path):
    """Sends each user's envelopes in file order (users in parallel), awaiting each decision first."""
    by_user = {}
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                e = json.loads(line)
                by_user.setdefault(e["user_id"], []).append(e)
    out_lock = threading.Lock()

    def run(events):
        for e in events:
            if e["event"]["type"] == "token":
                client.token(e["user_id"], e.get("agent_id"), e.get("session_id"), e["at_ms"], e["event"]["logprob"])
            elif e["event"]["type"] == "token_batch":
                for lp in e["event"]["logprobs"]:
                    client.token(e["user_id"], e.get("agent_id"), e.get("session_id"), e["at_ms"], lp)
            else:
                decision = client.send(e).result(client.timeout_s + 5)
                with out_lock:
                    print(json.dumps({"event_id": decision["event_id"], "decision": decision}), flush=True)

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        for f in [pool.submit(run, events) for events in by_user.values()]:
            f.result()


def demo(client):
    """A toy agent that loops on a tool until the service says stop."""
    user, session = "py-demo-user", "py-demo-" + uuid7()
    base = {"user_id": user, "agent_id": "py-agent", "session_id": session}
    d = client.send({**base, "at_ms": int(time.time() * 1000),
                     "event": {"type": "turn_start", "user_message": "find the retry policy in the docs"}}).result(30)
    print("turn_start ->", act(d))
    for step in range(10):
        for lp in (-0.1, -0.4, -0.2):
            client.token(user, "py-agent", session, int(time.time() * 1000), lp)
        d = client.send({**base, "at_ms": int(time.time() * 1000),
                         "event": {"type": "tool_call", "tool_name": "search_docs", "args_json": None}}).result(30)
        print("tool_call %d -> %s" % (step + 1, act(d)))
        if d["decision"]["kind"] == "circuit_break":
            break


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bootstrap-servers", required=True)
    p.add_argument("--input-topic", default="agent-events")
    p.add_argument("--decisions-topic", default="regulator-decisions")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for a decision")
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--demo", action="store_true", help="a looping agent, stopped by the service")
    mode.add_argument("--replay", metavar="FILE", help="JSON Lines envelopes; prints each decision")
    mode.add_argument("--partitions", nargs="+", metavar="N USER", help="print partition_of(USER, N) per user")
    args = p.parse_args()
    if args.partitions:
        n = int(args.partitions[0])
        for user in args.partitions[1:]:
            print(json.dumps({"user_id": user, "partition": partition_of(user, n)}))
        return 0
    try:
        client = Orchestrator(args.bootstrap_servers, args.input_topic, args.decisions_topic, args.timeout)
    except (KafkaException, RuntimeError) as e:
        print("error: %s" % e, file=sys.stderr)
        return 1
    try:
        demo(client) if args.demo else replay(client, args.replay)
    finally:
        client.close()
    print(json.dumps({"summary": {"decisions": len(client.latencies_ms), "timeouts": client.timeouts,
                                  "token_batches": client.token_batches,
                                  "p50_ms": percentile(client.latencies_ms, 0.50),
                                  "p99_ms": percentile(client.latencies_ms, 0.99)}}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
