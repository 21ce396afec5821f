'use strict';
// The live view: runs list, a run's summary, its events over SSE (tail window), costs by day, mirror status. No build step.
const WINDOW = 2000; // events kept and shown: the tail window keeps a run of any length responsive
const LEVELS = { debug: 1, info: 2, warning: 3, error: 4, critical: 5 };
const $ = s => document.querySelector(s);
const state = { run: null, source: null, events: [], last: 0, paused: false, firstError: null, dirty: false };

async function json(url) {
  const r = await fetch(url);
  const body = await r.json();
  if (!r.ok) throw new Error(body.error ? body.error.message : r.statusText);
  return body;
}

function cell(row, text, cls) {
  const td = row.insertCell();
  td.textContent = text == null ? '' : text;
  if (cls) td.className = cls;
}

async function loadRuns() {
  const form = new FormData($('#filters'));
  const query = new URLSearchParams();
  for (const [k, v] of form) if (v) query.set(k, v);
  const body = await json('/api/runs?' + query);
  const tbody = $('#runs tbody');
  tbody.replaceChildren();
  for (const run of body.runs) {
    const row = tbody.insertRow();
    row.dataset.id = run.run_id;
    if (state.run === run.run_id) row.className = 'selected';
    cell(row, run.run_id); cell(row, run.kind);
    cell(row, run.status.toLowerCase(), run.status.toLowerCase());
    cell(row, run.events_count); cell(row, (run.max_severity || '').toLowerCase());
    row.onclick = () => { location.hash = 'run=' + run.run_id; };
  }
}

async function loadCosts() {
  const body = await json('/api/cost?groupBy=day&last=30d');
  const rows = body.rows.filter(r => r.start);
  const max = Math.max(1e-9, ...rows.map(r => r.known_cost_usd));
  const w = 600, h = 100, bar = w / Math.max(rows.length, 1);
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${w} ${h + 14}`);
  rows.forEach((r, i) => {
    const rect = document.createElementNS(ns, 'rect');
    const height = h * r.known_cost_usd / max;
    rect.setAttribute('x', i * bar + 1); rect.setAttribute('width', Math.max(bar - 2, 1));
    rect.setAttribute('y', h - height); rect.setAttribute('height', height);
    const title = document.createElementNS(ns, 'title');
    title.textContent = `${r.start.slice(0, 10)}: $${r.known_cost_usd.toFixed(2)}, ${r.calls} calls`;
    rect.append(title);
    svg.append(rect);
  });
  const label = document.createElementNS(ns, 'text');
  label.setAttribute('y', h + 12); label.setAttribute('font-size', 10);
  label.textContent = rows.length ? `max $${max.toFixed(2)}/day over ${rows.length} day(s)` : 'no API calls in the last 30 days';
  svg.append(label);
  $('#costs').replaceChildren(svg);
}

async function loadMirror() {
  const body = await json('/api/mirror');
  const tbody = $('#mirror tbody');
  tbody.replaceChildren();
  for (const s of body.sources) {
    const row = tbody.insertRow();
    cell(row, s.source); cell(row, s.files); cell(row, (s.bytes / 1048576).toFixed(1));
    cell(row, s.not_ok, s.not_ok ? 'failed' : null); cell(row, s.last_mirrored_at.slice(0, 16).replace('T', ' '));
  }
}

function severityOf(ev) {
  const s = ev.payload && ev.payload.severity;
  return typeof s === 'string' ? s.toLowerCase() : (ev.type === 'console.line' ? 'info' : '');
}

function renderSummary(run) {
  $('#run-title').textContent = `${run.kind} run ${run.run_id}`;
  const items = { status: run.status, started: run.started_at || run.created_at, completed: run.completed_at,
    duration: run.duration, events: run.events_count, 'worst severity': run.max_severity, 'exit code': run.exit_code };
  if (run.summary) for (const [k, v] of Object.entries(run.summary)) if (typeof v !== 'object') items[k] = v;
  const dl = $('#summary');
  dl.replaceChildren();
  for (const [k, v] of Object.entries(items)) {
    if (v == null) continue;
    const dt = document.createElement('dt'); dt.textContent = k;
    const dd = document.createElement('dd'); dd.textContent = v;
    dl.append(dt, dd);
  }
}

function row(ev) {
  const div = document.createElement('div');
  const sev = severityOf(ev);
  div.className = 'ev sev-' + sev;
  div.dataset.seq = ev.sequence;
  const message = ev.payload && ev.payload.message != null ? ev.payload.message : JSON.stringify(ev.payload || {});
  for (const text of [ev.sequence, (ev.time || '').slice(11, 23), ev.type, message]) {
    const span = document.createElement('span'); span.textContent = text; div.append(span);
  }
  return div;
}

function visible(ev) {
  return (LEVELS[severityOf(ev)] || 2) >= Number($('#severity').value);
}

// Redraws the tail window once per frame, however many events arrived since the last one.
function render() {
  state.dirty = false;
  if (state.paused) return;
  const box = $('#events');
  box.replaceChildren(...state.events.filter(visible).map(row));
  if ($('#autoscroll').checked) box.scrollTop = box.scrollHeight;
}

function schedule() {
  if (!state.dirty) { state.dirty = true; requestAnimationFrame(render); }
}

function add(ev) {
  if (ev.sequence <= state.last) return; // a resumed stream never shows an event twice
  state.last = ev.sequence;
  state.events.push(ev);
  if (state.events.length > WINDOW) state.events.splice(0, state.events.length - WINDOW);
  if (state.firstError == null && (LEVELS[severityOf(ev)] || 0) >= LEVELS.error) {
    state.firstError = ev.sequence;
    $('#first-error').disabled = false;
  }
  schedule();
}

function follow(id) {
  if (state.source) state.source.close();
  const source = new EventSource(`/api/runs/${encodeURIComponent(id)}/events?stream=true`);
  state.source = source;
  $('#status').textContent = 'streaming';
  source.onmessage = e => add(JSON.parse(e.data));
  source.addEventListener('end', () => {
    source.close();
    $('#status').textContent = 'run completed';
    // The store records the completion just after the log's last line: ask again until it shows.
    const refresh = () => json('/api/runs/' + encodeURIComponent(id)).then(run => {
      renderSummary(run);
      if (/running|building/i.test(run.status)) setTimeout(refresh, 300); else loadRuns();
    });
    refresh();
  });
  // 'reconnect': the server dropped a client that fell behind; EventSource reconnects with Last-Event-ID by itself.
  source.addEventListener('reconnect', () => { $('#status').textContent = 'catching up'; });
  source.onerror = () => { if (source.readyState !== EventSource.CLOSED) $('#status').textContent = 'reconnecting'; };
}

async function open(id) {
  state.run = id; state.events = []; state.last = 0; state.firstError = null;
  $('#first-error').disabled = true;
  $('#run-pane').hidden = false;
  $('#events').replaceChildren();
  try {
    renderSummary(await json('/api/runs/' + encodeURIComponent(id)));
    follow(id);
  } catch (e) {
    $('#run-title').textContent = e.message;
  }
  for (const tr of document.querySelectorAll('#runs tbody tr')) tr.classList.toggle('selected', tr.dataset.id === id);
}

// Shows the window from the first error on: from the window when it is still there, else read from the log.
async function jumpToFirstError() {
  const seq = state.firstError;
  let target = $(`#events .ev[data-seq="${seq}"]`);
  if (!target) {
    state.paused = true; $('#pause').textContent = 'Resume';
    const r = await fetch(`/api/runs/${encodeURIComponent(state.run)}/events?from_sequence=${seq}`);
    const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
    const lines = []; let rest = '';
    while (lines.length < WINDOW) {
      const { value, done } = await reader.read();
      if (done) break;
      const parts = (rest + value).split('\n'); rest = parts.pop();
      for (const p of parts) if (p && lines.length < WINDOW) lines.push(JSON.parse(p));
    }
    reader.cancel();
    $('#events').replaceChildren(...lines.filter(visible).map(row));
    target = $(`#events .ev[data-seq="${seq}"]`);
  }
  $('#autoscroll').checked = false;
  if (target) { target.classList.add('hit'); target.scrollIntoView({ block: 'center' }); }
}

$('#pause').onclick = () => {
  state.paused = !state.paused;
  $('#pause').textContent = state.paused ? 'Resume' : 'Pause';
  if (!state.paused) schedule();
};
$('#severity').onchange = schedule;
$('#first-error').onclick = jumpToFirstError;
$('#filters').onsubmit = e => { e.preventDefault(); loadRuns(); };
window.onhashchange = () => { const m = /run=([\w.-]+)/.exec(location.hash); if (m) open(m[1]); };

json('/api/server').then(s => { $('#server').textContent = s.store_path; });
loadRuns();
loadCosts().catch(e => { $('#costs').textContent = e.message; });
loadMirror().catch(e => { $('#mirror tbody').textContent = e.message; });
setInterval(loadRuns, 5000);
window.onhashchange();
