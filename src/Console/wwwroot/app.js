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
    for (const r of reports) ul.appendChild(renderBoneAge(r));
    await loadThermal();
    await loadVideo();
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
  es.addEventListener("rr", e => addBreathing(JSON.parse(e.data)));
  es.addEventListener("blink", e => addBlink(JSON.parse(e.data)));
  es.addEventListener("au", e => addUnits(JSON.parse(e.data)));
  es.addEventListener("dyspnea", e => addDyspnea(JSON.parse(e.data)));
  es.addEventListener("ack", e => renderAlert(JSON.parse(e.data)));
  es.addEventListener("dropped", e => { document.getElementById("conn").textContent = `live (${JSON.parse(e.data).dropped} events dropped)`; });
}

document.getElementById("login").addEventListener("submit", ev => {
  ev.preventDefault();
  state.key = document.getElementById("key").value.trim();
  sessionStorage.setItem("vigil.key", state.key);
  connect();
});

// ---- Thermal feeds (breathing rate, blinks, action units), bone-age radiographs, video segments ----

const RR_MAX = 45;
const THERMAL_SECONDS = 120; // breathing and activity traces: the last 2 minutes
window.vigil.rr = 0; window.vigil.blinks = 0; window.vigil.au = 0;

// Fetches an image with the key (an <img> cannot send headers) and shows it; an error shows the server's line instead.
async function loadImage(img, path, errorEl) {
  const r = await fetch(path, { headers: { "X-Api-Key": state.key } });
  if (!r.ok) {
    const body = await r.json().catch(() => ({}));
    img.remove();
    if (errorEl) errorEl.textContent = `${r.status}: ${body.error || r.statusText}`;
    return false;
  }
  const url = URL.createObjectURL(await r.blob());
  await new Promise(res => { img.onload = res; img.onerror = res; img.src = url; });
  return true;
}

function thermalCard(id) {
  const p = patientCard(id);
  if (p.thermal) return p;
  const div = document.createElement("div");
  div.className = "thermal";
  div.innerHTML = `<div class="row"><span>breathing rate (2 min)</span><span class="rr withheld" data-role="rr">–</span></div>
    <canvas class="rr-trace" width="600" height="140" data-points="0"></canvas>
    <div class="row"><span>action units (struggle mean) · blinks</span><span class="meta" data-role="blinkrate"></span></div>
    <canvas class="au-trace" width="600" height="90" data-blinks="0" data-samples="0"></canvas>`;
  p.el.appendChild(div);
  p.thermal = { el: div, rr: [], blinks: [], au: [], dyspnea: [] };
  return p;
}

function keepRecent(list, timeOf) {
  const cutoff = Date.now() - THERMAL_SECONDS * 1000;
  while (list.length && Date.parse(timeOf(list[0])) < cutoff) list.shift();
}

function addBreathing(w) {
  const t = thermalCard(w.patientId).thermal;
  if (t.rr.length && t.rr[t.rr.length - 1].index >= w.index) return;
  t.rr.push(w); keepRecent(t.rr, x => x.end);
  const el = t.el.querySelector("[data-role=rr]");
  el.className = "rr " + w.status;
  el.textContent = w.rateBpm == null ? `withheld: ${w.reason || "no reason"}` : `${w.rateBpm.toFixed(1)} /min`;
  el.title = w.provenance;
  window.vigil.rr++;
  drawBreathing(t);
}

function addDyspnea(d) { const t = thermalCard(d.patientId).thermal; t.dyspnea.push(d); keepRecent(t.dyspnea, x => x.time); drawBreathing(t); }
function addBlink(b) { const t = thermalCard(b.patientId).thermal; t.blinks.push(b); keepRecent(t.blinks, x => x.end); window.vigil.blinks++; drawActivity(t); }
function addUnits(a) { const t = thermalCard(a.patientId).thermal; t.au.push(a); keepRecent(t.au, x => x.time); window.vigil.au++; drawActivity(t); }

// Breathing trace: rate as a green line (ok windows), withheld windows as grey bars, the dyspnea card's
// tachypnea onset (24 /min) dashed, dyspnea alert events as red marks.
function drawBreathing(t) {
  const c = t.el.querySelector("canvas.rr-trace"), g = c.getContext("2d"), w = c.width, h = c.height;
  g.clearRect(0, 0, w, h);
  const t1 = Date.now(), t0 = t1 - THERMAL_SECONDS * 1000;
  const x = ms => (ms - t0) / (t1 - t0) * w, y = r => h - r / RR_MAX * h;
  g.fillStyle = "#567"; g.strokeStyle = "#233"; g.lineWidth = 1;
  for (const r of [10, 20, 30, 40]) { g.beginPath(); g.moveTo(0, y(r)); g.lineTo(w, y(r)); g.stroke(); g.fillText(String(r), 2, y(r) - 2); }
  g.setLineDash([6, 4]); g.strokeStyle = "#a55"; g.beginPath(); g.moveTo(0, y(24)); g.lineTo(w, y(24)); g.stroke(); g.setLineDash([]);
  let prev = null, shown = 0;
  for (const p of t.rr) {
    const xe = x(Date.parse(p.end));
    if (p.rateBpm == null) { g.fillStyle = "rgba(140,140,140,0.35)"; g.fillRect(xe - 2 * w / THERMAL_SECONDS, 0, 2 * w / THERMAL_SECONDS, h); prev = null; continue; }
    shown++;
    g.fillStyle = "#9be29b"; g.fillRect(xe - 1.5, y(p.rateBpm) - 1.5, 3, 3);
    if (prev) { g.strokeStyle = "#6cc070"; g.lineWidth = 2; g.beginPath(); g.moveTo(x(Date.parse(prev.end)), y(prev.rateBpm)); g.lineTo(xe, y(p.rateBpm)); g.stroke(); }
    prev = p;
  }
  for (const d of t.dyspnea) {
    const xd = x(Date.parse(d.time));
    g.strokeStyle = d.kind === "AlertRaised" ? "#e0453a" : d.kind === "AlertCleared" ? "#4a7" : "#aa8"; g.lineWidth = 2;
    g.beginPath(); g.moveTo(xd, 0); g.lineTo(xd, h); g.stroke();
    g.fillStyle = g.strokeStyle; g.fillText(d.kind, Math.min(xd + 2, w - 90), 10);
  }
  c.dataset.points = String(t.rr.length); c.dataset.shown = String(shown);
}

// Activity: mean intensity of the struggle AUs (0-5) as an orange line, blinks as cyan ticks at the bottom.
function drawActivity(t) {
  const c = t.el.querySelector("canvas.au-trace"), g = c.getContext("2d"), w = c.width, h = c.height;
  g.clearRect(0, 0, w, h);
  const t1 = Date.now(), t0 = t1 - THERMAL_SECONDS * 1000;
  const x = ms => (ms - t0) / (t1 - t0) * w, band = h - 22, y = v => band - v / 5 * band;
  g.strokeStyle = "#233"; g.beginPath(); g.moveTo(0, y(2)); g.lineTo(w, y(2)); g.stroke(); g.fillStyle = "#567"; g.fillText("AU 2", 2, y(2) - 2);
  g.strokeStyle = "#f0a040"; g.lineWidth = 2; g.beginPath();
  let first = true;
  for (const a of t.au) { if (a.struggle == null) continue; const xa = x(Date.parse(a.time)); if (first) g.moveTo(xa, y(a.struggle)); else g.lineTo(xa, y(a.struggle)); first = false; }
  g.stroke();
  g.fillStyle = "#4fc3f7";
  for (const b of t.blinks) { const xs = x(Date.parse(b.start)); g.fillRect(xs, h - 18, Math.max(2, x(Date.parse(b.end)) - xs), 16); }
  const recent = t.blinks.filter(b => Date.parse(b.end) > t1 - 60000).length;
  t.el.querySelector("[data-role=blinkrate]").textContent = `${recent} blinks in the last minute`;
  c.dataset.blinks = String(t.blinks.length); c.dataset.samples = String(t.au.length);
}

async function loadThermal() {
  const ids = await api("/api/thermal");
  await Promise.all(ids.map(async id => {
    thermalCard(id);
    const b = await api(`/api/patients/${encodeURIComponent(id)}/breathing`);
    b.windows.forEach(addBreathing); b.dyspnea.forEach(addDyspnea);
    const k = await api(`/api/patients/${encodeURIComponent(id)}/blinks`);
    k.blinks.forEach(addBlink); k.actionUnits.forEach(addUnits);
  }));
}

// Bone-age report: the radiograph beside the estimate, the 90 % interval drawn as a bar on an age axis.
function renderBoneAge(r) {
  const x = r.report, li = document.createElement("li");
  li.dataset.study = r.id;
  li.innerHTML = `<div><img class="radiograph" alt="radiograph"></div>
    <div><div class="ba-text"></div><canvas class="ba-bar" width="480" height="84"></canvas><div class="meta ba-prov"></div></div><div class="ba-error"></div>`;
  li.querySelector(".ba-text").textContent = x.status === "ok"
    ? `${r.patientId}: bone age ${x.boneAgeMonths.toFixed(1)} months` + (x.boneAgeLowMonths != null ? ` (90 % interval ${x.boneAgeLowMonths.toFixed(1)}–${x.boneAgeHighMonths.toFixed(1)})` : "") +
      (x.chronologicalAgeMonths != null ? `, chronological ${x.chronologicalAgeMonths.toFixed(0)}` : "")
    : `${r.patientId}: ${x.status} — ${x.reason}`;
  li.querySelector(".ba-prov").textContent = `${x.modelId}@${x.modelVersion} (sha256 ${(x.modelSha256 || "").slice(0, 12)}…) ${x.validation ? "· " + x.validation : ""} · ${x.clinicalUse}`;
  if (x.status === "ok") drawAgeBar(li.querySelector("canvas.ba-bar"), x); else li.querySelector("canvas.ba-bar").remove();
  loadImage(li.querySelector("img"), `/api/boneage/${encodeURIComponent(r.id)}/image`, li.querySelector(".ba-error"));
  return li;
}

function drawAgeBar(c, x) {
  const g = c.getContext("2d"), w = c.width, h = c.height, max = 240;
  const px = m => 8 + Math.max(0, Math.min(max, m)) / max * (w - 16);
  g.font = "16px system-ui"; g.fillStyle = "#567"; g.strokeStyle = "#345";
  for (let m = 0; m <= max; m += 24) { g.beginPath(); g.moveTo(px(m), 44); g.lineTo(px(m), 52); g.stroke(); g.fillText(String(m / 12), px(m) - 4, 72); }
  g.fillText("years", w - 50, 82);
  if (x.boneAgeLowMonths != null) {
    g.fillStyle = "rgba(80,180,255,0.55)"; g.fillRect(px(x.boneAgeLowMonths), 14, px(x.boneAgeHighMonths) - px(x.boneAgeLowMonths), 26);
    c.dataset.low = String(x.boneAgeLowMonths); c.dataset.high = String(x.boneAgeHighMonths);
  }
  g.fillStyle = "#fff"; g.fillRect(px(x.boneAgeMonths) - 2, 8, 4, 38); c.dataset.estimate = String(x.boneAgeMonths);
  if (x.chronologicalAgeMonths != null) { g.fillStyle = "#ffd966"; g.fillRect(px(x.chronologicalAgeMonths) - 1, 4, 3, 46); g.fillText("age", px(x.chronologicalAgeMonths) + 4, 12); }
}

// Video runs: segments on a timeline (one row per label); a click shows that segment's heat-map strip.
const LABEL_COLOURS = ["#4fc3f7", "#f0a040", "#9be29b", "#e0453a", "#c792ea", "#ffd966"];
async function loadVideo() {
  const runs = await api("/api/video");
  const box = document.getElementById("video");
  if (!runs.length) return;
  box.innerHTML = "";
  for (const run of runs) {
    const div = document.createElement("div"); div.className = "run"; div.dataset.run = run.id;
    div.innerHTML = `<div><strong class="vtitle"></strong></div><div class="meta vprov"></div>
      <canvas class="timeline" width="900" height="60"></canvas><div class="caption"></div><img class="heat" alt="heat map">`;
    div.querySelector(".vtitle").textContent = `${run.input || run.id}` + (run.error ? ` — ${run.error}` : "");
    div.querySelector(".vprov").textContent = [run.adapter && `adapter ${run.adapter}`, run.backbone && `backbone ${run.backbone}`, run.validation, run.withheld && `segments withheld: ${run.withheld}`, run.notice].filter(Boolean).join(" · ");
    box.appendChild(div);
    drawTimeline(div, run);
  }
}

function drawTimeline(div, run) {
  const c = div.querySelector("canvas.timeline"), labels = [...new Set(run.segments.map(s => s.label))];
  const rowH = 22, top = 4; c.height = top + rowH * Math.max(1, labels.length) + 20;
  const g = c.getContext("2d"), w = c.width, h = c.height, left = 70;
  const end = Math.max(1, ...run.segments.map(s => s.end)) * 1.02;
  const x = s => left + s / end * (w - left - 8);
  const boxes = run.segments.map(s => {
    const i = labels.indexOf(s.label);
    return { s, i, x0: x(s.start), x1: x(s.end), y0: top + i * rowH + 2, y1: top + i * rowH + rowH - 2 };
  });
  const paint = chosen => {
    g.clearRect(0, 0, w, h); g.font = "12px system-ui";
    labels.forEach((l, i) => { g.fillStyle = "#9aa"; g.fillText(l, 4, top + i * rowH + 15); });
    g.strokeStyle = "#345"; g.fillStyle = "#678"; g.lineWidth = 1;
    const step = Math.max(1, Math.round(end / 10));
    for (let s = 0; s <= end; s += step) { g.beginPath(); g.moveTo(x(s), h - 18); g.lineTo(x(s), h - 12); g.stroke(); g.fillText(`${s}s`, x(s) - 6, h - 2); }
    for (const b of boxes) {
      g.fillStyle = LABEL_COLOURS[b.i % LABEL_COLOURS.length]; g.globalAlpha = 0.35 + 0.6 * b.s.confidence;
      g.fillRect(b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0); g.globalAlpha = 1;
      if (b === chosen) { g.strokeStyle = "#fff"; g.lineWidth = 2; g.strokeRect(b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0); }
    }
  };
  c.dataset.segments = String(run.segments.length);
  const select = b => {
    paint(b);
    const img = div.querySelector("img.heat") || div.appendChild(Object.assign(document.createElement("img"), { className: "heat" }));
    const name = b ? b.s.heatMap : (run.images.includes("heatmap.png") ? "heatmap.png" : null);
    div.querySelector(".caption").textContent = b
      ? `segment ${b.s.number}: ${b.s.label} ${b.s.start.toFixed(1)}–${b.s.end.toFixed(1)} s, confidence ${b.s.confidence.toFixed(2)}${name ? "" : " (no heat map written)"}`
      : (name ? "whole video: where the backbone looked" : "");
    if (name) loadImage(img, `/api/video/${encodeURIComponent(run.id)}/images/${encodeURIComponent(name)}`, div.querySelector(".caption")).then(ok => { if (ok) img.dataset.name = name; });
    else img.removeAttribute("src");
  };
  c.onclick = ev => {
    const r = c.getBoundingClientRect(), px = (ev.clientX - r.left) * c.width / r.width, py = (ev.clientY - r.top) * c.height / r.height;
    const hit = boxes.find(b => px >= b.x0 && px <= b.x1 && py >= b.y0 && py <= b.y1);
    if (hit) select(hit);
  };
  select(boxes[0] || null);
}

if (state.key) connect();
