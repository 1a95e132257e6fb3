// The fleet dashboard: polls /fleet/stats and draws it with hand-made SVG. No libraries, no
// network beyond this service. Everything from the data is written with textContent, never as HTML.
(function () {
  'use strict';

  // The decision kinds, in the order to show them, come with the data (decision_kinds); break
  // reasons need nothing here: the breaks list shows any reason by its tag.
  var kinds = [];
  var SVG = 'http://www.w3.org/2000/svg';
  var TOKEN_KEY = 'noos.token';
  var W = 960, H = 260, M = { l: 48, r: 10, t: 12, b: 26 };

  var params = new URLSearchParams(location.hash.slice(1));
  if (params.has('token')) {
    // Kept for this tab only, and taken out of the address bar and history.
    sessionStorage.setItem(TOKEN_KEY, params.get('token'));
    params.delete('token');
    var rest = params.toString();
    history.replaceState(null, '', location.pathname + location.search + (rest ? '#' + rest : ''));
  }
  var minutes = clamp(parseInt(params.get('minutes'), 10) || 60, 1, 1440);
  var refreshMs = clamp(parseInt(params.get('refresh'), 10) || 5, 1, 3600) * 1000;
  text(byId('minutes'), String(minutes));
  text(byId('refresh'), String(refreshMs / 1000));

  byId('token-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var value = byId('token-input').value.trim();
    if (value) {
      sessionStorage.setItem(TOKEN_KEY, value);
      byId('token-input').value = '';
      poll();
    }
  });

  function byId(id) { return document.getElementById(id); }
  function clamp(v, lo, hi) { return Math.max(lo, Math.min(hi, v)); }
  function text(el, s) { el.textContent = s; return el; }
  function fmt(n) { return (Number(n) || 0).toLocaleString('en-US'); }
  function clock(ms, seconds) { return new Date(ms).toISOString().slice(11, seconds ? 19 : 16); }
  function clear(el) { while (el.firstChild) { el.removeChild(el.firstChild); } }

  function svgEl(name, attrs) {
    var el = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    return el;
  }

  function setState(state, message) {
    document.body.dataset.state = state;
    text(byId('status'), message);
    byId('auth').hidden = state !== 'unauthorized';
  }

  function poll() {
    var headers = {};
    var token = sessionStorage.getItem(TOKEN_KEY);
    if (token) { headers.Authorization = 'Bearer ' + token; }
    return fetch('/fleet/stats?agents=false&minutes=' + minutes, { headers: headers, cache: 'no-store' })
      .then(function (r) {
        if (r.status === 401) {
          if (token) { sessionStorage.removeItem(TOKEN_KEY); }
          setState('unauthorized', token ? 'the token was refused' : 'a token is needed');
          return null;
        }
        return r.json().catch(function () { return {}; }).then(function (body) {
          if (!r.ok) {
            setState(r.status === 501 ? 'unavailable' : 'error', body.error || ('HTTP ' + r.status));
            return null;
          }
          render(body);
          pollHalts(headers);
          pollSimulation(headers);
          var note = body.partial ? ' (partial: an instance did not answer)' : '';
          setState('rendered', 'updated ' + clock(body.to_ms, true) + ' UTC from ' + body.instances
            + (body.instances === 1 ? ' instance' : ' instances') + note);
          document.body.dataset.updatedMs = String(body.to_ms);
          return body;
        });
      })
      .catch(function () { setState('error', 'cannot reach the service; retrying'); });
  }

  // The operators' halts in force (every instance holds all the policies).
  function pollHalts(headers) {
    return fetch('/policies/halts', { headers: headers, cache: 'no-store' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) { renderHalts(body ? body.halts || [] : null); })
      .catch(function () { renderHalts(null); });
  }

  function renderHalts(halts) {
    var body = byId('halts').tBodies[0];
    clear(body);
    (halts || []).forEach(function (h) {
      var tr = document.createElement('tr');
      tr.className = 'halt-row';
      tr.dataset.key = String(h.key);
      var scope = h.scope === 'everyone' ? 'every user' : h.scope === 'agent' ? 'events of agent '
        + String(h.key).slice('agent:'.length) : 'this user';
      [h.key, scope, h.reason == null ? '–' : h.reason, h.since_ms == null ? '–'
        : new Date(h.since_ms).toISOString().slice(0, 19).replace('T', ' ')]
        .forEach(function (v) { tr.appendChild(text(document.createElement('td'), String(v))); });
      body.appendChild(tr);
    });
    if (!halts || !halts.length) {
      var empty = document.createElement('tr');
      var td = text(document.createElement('td'), halts ? 'no halt in force' : 'halts not available right now');
      td.colSpan = 4;
      td.className = 'empty';
      empty.appendChild(td);
      body.appendChild(empty);
    }
    byId('halts').dataset.count = String(halts ? halts.length : 0);
  }

  // What the simulated agents of run --simulate saved by acting; the panel stays hidden without one.
  function pollSimulation(headers) {
    return fetch('/simulation', { headers: headers, cache: 'no-store' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(renderSimulation)
      .catch(function () { renderSimulation(null); });
  }

  function renderSimulation(sim) {
    var panel = byId('loop');
    panel.hidden = !sim;
    if (!sim) { return; }
    var saved = sim.saved || {}, without = sim.not_acting || {};
    [['loop-tokens', 'tokens'], ['loop-tool-calls', 'tool_calls'], ['loop-turns', 'turns']].forEach(function (t) {
      var el = byId(t[0]);
      text(el, sim.compared ? fmt(saved[t[1]]) : '–');
      el.dataset.value = String(sim.compared ? Number(saved[t[1]]) || 0 : '');
      var share = without[t[1]] ? Math.round(1000 * (saved[t[1]] || 0) / without[t[1]]) / 10 : 0;
      text(byId(t[0] + '-of'), sim.compared ? share + ' % of ' + fmt(without[t[1]]) + ' not acting' : '');
    });
    var latency = sim.decision_latency_ms || {};
    [['loop-p50', latency.p50], ['loop-p99', latency.p99]].forEach(function (t) {
      text(byId(t[0]), t[1] == null ? '–' : t[1] + ' ms');
    });
    var kinds = Object.keys(sim.interventions || {}).map(function (k) {
      return fmt(sim.interventions[k]) + ' ' + k.replace(/_/g, ' ');
    }).join(', ');
    text(byId('loop-note'), sim.agents + ' agents' + (sim.compared ? ', ' + fmt(sim.tasks_compared)
      + ' finished tasks compared with the same agents not acting' : ' (run with --compare for the savings)')
      + '; interventions acted on: ' + (kinds || 'none') + (latency.count ? '; ' + fmt(latency.count)
      + ' decisions, ' + fmt(sim.timeouts) + ' timed out' : ''));
    panel.dataset.compared = String(!!sim.compared);
  }

  function render(stats) {
    kinds = stats.decision_kinds || kinds;
    var s = stats.summary || {};
    var decisions = s.decisions || {};
    var total = Object.keys(decisions).reduce(function (a, k) { return a + (decisions[k] || 0); }, 0);
    [['total-events', s.events], ['total-turns', s.turns], ['total-decisions', total],
      ['total-breaks', decisions.circuit_break], ['total-tokens-out', s.tokens_out],
      ['total-tool-calls', s.tool_calls], ['total-dead-letters', s.dead_letters]].forEach(function (t) {
      var el = byId(t[0]);
      text(el, fmt(t[1]));
      el.dataset.value = String(Number(t[1]) || 0);
    });
    renderLegend();
    renderChart(stats);
    renderRanking(byId('top-users'), s.top_users || [], 'user_id', 'user-row');
    renderRanking(byId('top-agents'), s.top_agents || [], 'agent_id', 'agent-row');
    renderBreaks(s.latest_breaks || []);
  }

  function renderLegend() {
    var legend = byId('legend');
    if (legend.childElementCount) { return; }
    kinds.forEach(function (k) {
      var li = document.createElement('li');
      var swatch = svgEl('svg', { width: 12, height: 12, 'class': 'swatch' });
      swatch.appendChild(svgEl('rect', { width: 12, height: 12, 'class': 'kind-' + k }));
      li.appendChild(swatch);
      li.appendChild(document.createTextNode(' ' + k.replace(/_/g, ' ')));
      legend.appendChild(li);
    });
  }

  function windowTotal(w) {
    var d = w.decisions || {};
    return Object.keys(d).reduce(function (a, k) { return a + (d[k] || 0); }, 0);
  }

  function renderChart(stats) {
    var svg = byId('decisions-chart');
    clear(svg);
    var windows = stats.windows || [];
    var slotMs = 60000;
    if (windows.length && windows[0].window_end_ms > windows[0].window_start_ms) {
      slotMs = windows[0].window_end_ms - windows[0].window_start_ms;
    }
    var start0 = Math.floor(stats.from_ms / slotMs) * slotMs;
    var slots = Math.max(1, Math.ceil((stats.to_ms - start0) / slotMs));
    var plotW = W - M.l - M.r, plotH = H - M.t - M.b;
    var bw = plotW / slots;
    var max = Math.max(1, Math.max.apply(null, windows.map(windowTotal).concat([0])));
    var base = M.t + plotH;

    [0, 0.5, 1].forEach(function (f) {
      var y = base - f * plotH;
      svg.appendChild(svgEl('line', { x1: M.l, x2: W - M.r, y1: y, y2: y, 'class': 'grid' }));
      var label = svgEl('text', { x: M.l - 6, y: y + 4, 'class': 'axis', 'text-anchor': 'end' });
      svg.appendChild(text(label, fmt(Math.round(f * max))));
    });
    var tickEvery = Math.max(1, Math.round(slots / 6));
    for (var i = 0; i <= slots; i += tickEvery) {
      var x = M.l + i * bw;
      var tick = svgEl('text', { x: x, y: H - 8, 'class': 'axis', 'text-anchor': 'middle' });
      svg.appendChild(text(tick, clock(start0 + i * slotMs, false)));
    }

    var bars = 0, total = 0;
    windows.forEach(function (w) {
      var d = w.decisions || {};
      var stack = kinds.concat(Object.keys(d).filter(function (k) { return kinds.indexOf(k) < 0; }));
      var x = M.l + ((w.window_start_ms - start0) / slotMs) * bw;
      var y = base;
      stack.forEach(function (k) {
        var n = d[k] || 0;
        if (n <= 0) { return; }
        var h = n / max * plotH;
        y -= h;
        var rect = svgEl('rect', {
          x: x + 1, y: y, width: Math.max(1, bw - 2), height: h,
          'class': 'bar kind-' + (kinds.indexOf(k) < 0 ? 'other' : k),
          'data-kind': k, 'data-count': n, 'data-start': w.window_start_ms
        });
        var title = svgEl('title');
        rect.appendChild(text(title, clock(w.window_start_ms, false) + ' ' + k.replace(/_/g, ' ') + ': ' + fmt(n)));
        svg.appendChild(rect);
        bars++;
        total += n;
      });
    });
    svg.dataset.windows = String(windows.length);
    svg.dataset.bars = String(bars);
    svg.dataset.total = String(total);
    if (!windows.length) {
      svg.appendChild(text(svgEl('text', { x: W / 2, y: H / 2, 'class': 'empty', 'text-anchor': 'middle' }),
        'no decisions in this period'));
    }
  }

  function renderRanking(table, rows, idField, rowClass) {
    var body = table.tBodies[0];
    clear(body);
    var max = rows.reduce(function (a, r) { return Math.max(a, r.tokens_out || 0); }, 1);
    rows.forEach(function (r, i) {
      var tr = document.createElement('tr');
      tr.className = rowClass;
      tr.dataset.tokensOut = String(r.tokens_out || 0);
      tr.appendChild(text(document.createElement('td'), String(i + 1)));
      tr.appendChild(text(document.createElement('td'), String(r[idField])));
      var num = text(document.createElement('td'), fmt(r.tokens_out));
      num.className = 'num';
      tr.appendChild(num);
      var barCell = document.createElement('td');
      barCell.className = 'barcell';
      var svg = svgEl('svg', { viewBox: '0 0 100 10', preserveAspectRatio: 'none', 'class': 'spend' });
      svg.appendChild(svgEl('rect', { x: 0, y: 1, height: 8, width: Math.max(1, 100 * (r.tokens_out || 0) / max) }));
      barCell.appendChild(svg);
      tr.appendChild(barCell);
      body.appendChild(tr);
    });
    if (!rows.length) {
      var empty = document.createElement('tr');
      var td = text(document.createElement('td'), 'no spend recorded in this period');
      td.colSpan = 4;
      td.className = 'empty';
      empty.appendChild(td);
      body.appendChild(empty);
    }
  }

  function renderBreaks(breaks) {
    var body = byId('latest-breaks').tBodies[0];
    clear(body);
    breaks.forEach(function (b) {
      var tr = document.createElement('tr');
      tr.className = 'break-row';
      tr.dataset.reason = String(b.reason);
      [clock(b.at_ms, true), b.user_id, b.agent_id == null ? '–' : b.agent_id, String(b.reason).replace(/_/g, ' ')]
        .forEach(function (v) { tr.appendChild(text(document.createElement('td'), String(v))); });
      body.appendChild(tr);
    });
    if (!breaks.length) {
      var empty = document.createElement('tr');
      var td = text(document.createElement('td'), 'no circuit breaks in this period');
      td.colSpan = 4;
      td.className = 'empty';
      empty.appendChild(td);
      body.appendChild(empty);
    }
  }

  poll();
  setInterval(poll, refreshMs);
}());
