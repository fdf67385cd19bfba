// Vigil ward console: live heart-rate traces (canvas), alerts with evidence, acknowledgement.
// Everything comes from this server (no CDN). The API key stays in this tab's sessionStorage.
"use strict";
const state = { key: sessionStorage.getItem("vigil.key") || "", patients: new Map(), alerts: new Map(), source: null, role: null };
const TRACE_SECONDS = 300;
// Diagnostics: how long after its window closed each live value reached the screen (shown, and read by the browser tests).
window.vigil = { live: [] };

function api(path, init) {
  const headers = Object.assign({ "X-Api-Key": state.key }, (init && init.headers) || {});
  return fetch(path, Object.assign({}, init, { headers })).then(async r => {
    if (!r.ok) { const body = await r.json().catch(() => ({})); throw new Error(`${r.status}: ${body.error || r.statusText}`); }
    return r.json();
  });
}

function showError(e) { document.getElementById("error").textContent = e ? String(e.message || e) : ""; }

function patientCard(id) {
  let p = state.patients.get(id);
  if (p) return p;
  const el = document.createElement("div");
  el.className = "patient"; el.dataset.patient = id;
  el.innerHTML = `<div class="top"><strong class="pid"></strong><span class="bpm withheld" data-role="bpm">–</span></div>
    <canvas width="600" height="180"></canvas><div class="meta" data-role="meta"></div>`;
  el.querySelector(".pid").textContent = id;
  const list = document.getElementById("patients");
  const after = [...list.children].find(c => c.dataset.patient > id);
  list.insertBefore(el, after || null);
  p = { id, el, points: [] };
  state.patients.set(id, p);
  return p;
}

function addPoint(pt) {
  const p = patientCard(pt.patientId);
  if (p.points.length && p.points[p.points.length - 1].windowIndex >= pt.windowIndex) return;
  p.points.push(pt);
  const cutoff = Date.parse(pt.end) - TRACE_SECONDS * 1000;
  while (p.points.length && Date.parse(p.points[0].end) < cutoff) p.points.shift();
  const bpm = p.el.querySelector("[data-role=bpm]");
  bpm.className = "bpm " + pt.status;
  bpm.textContent = pt.bpm == null ? `withheld (${pt.reason || "no reason"})` : `${pt.bpm.toFixed(0)} bpm`;
  bpm.dataset.window = pt.windowIndex;
  p.el.querySelector("[data-role=meta]").textContent =
    `window ${pt.windowIndex} closed ${new Date(pt.end).toLocaleTimeString()} · confidence ${pt.confidence.toFixed(2)} · ${pt.status}${pt.reason ? " (" + pt.reason + ")" : ""}`;
  draw(p);
}

// Trace: rate as a line, confidence as the band's opacity, withheld windows as grey gaps.
function draw(p) {
  const c = p.el.querySelector("canvas"), g = c.getContext("2d");
  const w = c.width, h = c.height;
  g.clearRect(0, 0, w, h);
  if (!p.points.length) return;
  const t1 = Date.parse(p.points[p.points.length - 1].end), t0 = t1 - TRACE_SECONDS * 1000;
  const x = t => (t - t0) / (t1 - t0) * w, y = b => h - (b - 40) / (200 - 40) * h;
  g.strokeStyle = "#233"; g.lineWidth = 1;
  for (const b of [60, 100, 140, 180]) { g.beginPath(); g.moveTo(0, y(b)); g.lineTo(w, y(b)); g.stroke(); g.fillStyle = "#567"; g.fillText(String(b), 2, y(b) - 2); }
  let prev = null;
  for (const pt of p.points) {
    const xs = x(Date.parse(pt.start)), xe = x(Date.parse(pt.end));
    if (pt.bpm == null) { g.fillStyle = "rgba(120,120,120,0.35)"; g.fillRect(xe - 2 * w / TRACE_SECONDS, 0, 2 * w / TRACE_SECONDS, h); prev = null; continue; }
    g.fillStyle = `rgba(80,180,255,${0.1 + 0.3 * pt.confidence})`;
    const band = 4 + 16 * (1 - pt.confidence);
    g.fillRect(xe - 2, y(pt.bpm) - band, 4, 2 * band);
    if (prev) {
      g.strokeStyle = pt.status === "ok" ? "#4fc3f7" : "#ffd966"; g.lineWidth = 2;
      g.beginPath(); g.moveTo(x(Date.parse(prev.end)), y(prev.bpm)); g.lineTo(xe, y(pt.bpm)); g.stroke();
    }
    prev = pt;
  }
}

function renderAlert(a) {
  state.alerts.set(a.id, a);
  let li = document.querySelector(`#alerts li[data-alert="${a.id}"]`);
  if (!li) {
    li = document.createElement("li"); li.dataset.alert = a.id;
    document.getElementById("alerts").prepend(li);
  }
  li.className = a.acknowledgedBy ? "acknowledged" : "open";
  li.innerHTML = `<div><strong class="apatient"></strong> · <span class="akind"></span> · <span class="atime"></span></div>
    <div class="amsg"></div><ul class="evidence"></ul><div class="meta aprov"></div><div class="aack"></div>`;
  li.querySelector(".apatient").textContent = a.patientId;
  li.querySelector(".akind").textContent = a.kind;
  li.querySelector(".atime").textContent = new Date(a.raised).toLocaleTimeString();
  li.querySelector(".amsg").textContent = a.message;
  const ev = li.querySelector(".evidence");
  for (const e of a.evidence) { const i = document.createElement("li"); i.textContent = e; ev.appendChild(i); }
  li.querySelector(".aprov").textContent = a.provenance;
  const ack = li.querySelector(".aack");
  if (a.acknowledgedBy) ack.textContent = `acknowledged by ${a.acknowledgedBy} at ${new Date(a.acknowledgedAt).toLocaleTimeString()}`;
  else {
    const b = document.createElement("button"); b.textContent = "Acknowledge"; b.className = "ack";
    b.onclick = () => api(`/api/alerts/${encodeURIComponent(a.id)}/ack`, { method: "POST" }).then(renderAlert, showError);
    ack.appendChild(b);
  }
  const card = state.patients.get(a.patientId);
  if (card) card.el.classList.toggle("alerting", [...state.alerts.values()].some(x => x.patientId === a.patientId && !x.acknowledgedBy));
}

async function connect() {
  showError(null);
  try {
    const patients = await api("/api/patients");
    for (const p of patients) { patientCard(p.id); }
    await Promise.all(patients.map(p => api(`/api/patients/${encodeURIComponent(p.id)}/heart-rate`).then(h => h.forEach(addPoint))));
    (await api("/api/alerts")).reverse().forEach(renderAlert);
    const reports = await api("/api/boneage");
    const ul = document.getElementById("boneage"); ul.innerHTML = "";
    for (const r of reports) {
      const li = document.createElement("li"); const x = r.report;
      li.textContent = `${r.patientId}: ${x.status === "ok" ? `bone age ${x.boneAgeMonths} months` + (x.boneAgeLowMonths != null ? ` (90 % ${x.boneAgeLowMonths}–${x.boneAgeHighMonths})` : "") : x.status + " " + x.reason} · ${x.modelId}@${x.modelVersion} ${x.clinicalUse}`;
      ul.appendChild(li);
    }
  } catch (e) { showError(e); return; }
  if (state.source) state.source.close();
  const es = new EventSource(`/api/stream?access_key=${encodeURIComponent(state.key)}`);
  state.source = es;
  es.onopen = () => { document.getElementById("conn").textContent = "live"; };
  es.onerror = () => { document.getElementById("conn").textContent = "reconnecting"; };
  es.addEventListener("hr", e => {
    const pt = JSON.parse(e.data);
    addPoint(pt);
    const lagMs = Date.now() - Date.parse(pt.end);
    window.vigil.live.push({ patient: pt.patientId, window: pt.windowIndex, lagMs });
    if (window.vigil.live.length > 10000) window.vigil.live.splice(0, 5000);
    const card = state.patients.get(pt.patientId);
    if (card) card.el.querySelector("[data-role=meta]").textContent += ` · on screen ${(lagMs / 1000).toFixed(1)} s after close`;
  });
  es.addEventListener("alert", e => renderAlert(JSON.parse(e.data)));
  es.addEventListener("ack", e => renderAlert(JSON.parse(e.data)));
  es.addEventListener("dropped", e => { document.getElementById("conn").textContent = `live (${JSON.parse(e.data).dropped} events dropped)`; });
}

document.getElementById("login").addEventListener("submit", ev => {
  ev.preventDefault();
  state.key = document.getElementById("key").value.trim();
  sessionStorage.setItem("vigil.key", state.key);
  connect();
});
if (state.key) connect();
