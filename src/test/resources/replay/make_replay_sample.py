"""Builds src/test/resources/replay/replay-sample.jsonl from the fleet workload.

20 users whose first turns show every decision kind under the IT's tuned settings, and users whose
second session starts at their 4th turn; each user's events up to their 3rd (or 4th) turn, in the workload's order; runs of a user's tokens collapsed
into one token_batch (the first two tokens of each run kept as single token events), a few explicit
event ids, and one line that is not an envelope.
"""
import gzip, json, sys, collections

src, decisions, out = sys.argv[1], sys.argv[2], sys.argv[3]
first = collections.defaultdict(dict)
for l in open(decisions):
    d = json.loads(l)
    k = d['decision']['kind']
    if k == 'circuit_break':
        k = d['decision']['reason']['kind']
    first[d['user_id']].setdefault(k, d['turn'])

chosen = {}
for kind in ['cost_cap_reached', 'quality_decline_no_recovery', 'repeated_tool_call_loop', 'procedural_warning']:
    for t, u in sorted((t[kind], u) for u, t in first.items() if kind in t and u not in chosen)[:4]:
        chosen[u] = max(t, 3)
lines = [json.loads(l) for l in gzip.open(src, 'rt')]
# the rest: users whose second session starts at their 4th turn (the service's per-task reset)
started = collections.Counter()
new_session_at = {}
for e in lines:
    u = e['user_id']
    started[u] += e['event']['type'] == 'turn_start'
    if not e['session_id'].endswith('-s0'):
        new_session_at.setdefault(u, started[u])
for u in sorted(new_session_at):
    if len(chosen) >= 20:
        break
    if new_session_at[u] == 4 and u not in chosen:
        chosen[u] = 4
turns = collections.Counter()
keep = []
batch_of = {}          # user -> index in keep of the open token_batch
singles = collections.Counter()
for e in lines:
    u = e['user_id']
    if u not in chosen:
        continue
    t = e['event']['type']
    if t == 'turn_start':
        turns[u] += 1
    if turns[u] > chosen[u] or turns[u] == 0:
        continue
    if t == 'token':
        if singles[u] < 2:
            singles[u] += 1
            keep.append(e)
            continue
        if u in batch_of:
            keep[batch_of[u]]['event']['logprobs'].append(e['event']['logprob'])
        else:
            batch_of[u] = len(keep)
            keep.append({k: v for k, v in e.items() if k != 'event'} | {'event': {'type': 'token_batch', 'logprobs': [e['event']['logprob']]}})
        continue
    batch_of.pop(u, None)
    singles[u] = 0
    keep.append(e)

with open(out, 'w') as f:
    for i, e in enumerate(keep):
        if i % 37 == 5:
            e = {'event_id': 'explicit-%d' % i} | e
        f.write(json.dumps(e, separators=(',', ':')) + '\n')
        if i == 150:
            f.write('{"user_id":"%s","at_ms":%d,"event":{"type":"no_such_event"}}\n' % (e['user_id'], e['at_ms']))
print(len(keep) + 1, 'lines,', len(chosen), 'users', file=sys.stderr)
