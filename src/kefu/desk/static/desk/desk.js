// The live desk: one WebSocket, a snapshot, then patches (docs/desk.md). Plain JS, no CDN.
// The server sends the entries each switch event touched; this module only merges them, so
// the page holds exactly the server's state. Seat page and supervisor console share it.

const config = JSON.parse(document.getElementById("desk-config").textContent);
const root = document.getElementById("desk");
const role = root.dataset.role;

// Django's JavaScript catalogue (/jsi18n/, loaded by the page before this module) translates;
// without it the source text (Chinese) is shown.
const gettext = window.gettext || ((message) => message);
const interpolate = window.interpolate
  || ((format, values) => format.replace(/%\((\w+)\)s/g, (_, name) => String(values[name])));

const STATES = {
  logged_off: gettext("未登录"), ready: gettext("就绪"), not_ready: gettext("示忙"),
  ringing: gettext("振铃"), dialing: gettext("呼出中"), on_call: gettext("通话中"),
  wrap_up: gettext("话后整理"),
};
const CALL_STATES = {
  greeting: gettext("问候语"), ivr: gettext("语音导航"), queued: gettext("排队中"),
  ringing: gettext("振铃"), dialing: gettext("呼出中"), talking: gettext("通话中"),
  held: gettext("保持中"), agent_on_hook: gettext("等待主叫挂机"), voicemail: gettext("留言中"),
  message: gettext("放音中"), ended: gettext("已结束"),
};
const SECTIONS = ["seats", "calls", "queues", "agents"];

const desk = { state: null, legal: [], offset: 0, socket: null, nextId: 1, pending: new Map(),
  connected: false, poppedCall: "", messages: 0 };
window.kefuDesk = desk;

function $(selector) { return document.querySelector(selector); }
function now() { return Date.now() / 1000 + desk.offset; }
function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const mm = String(m).padStart(h ? 2 : 1, "0"), rr = String(r).padStart(2, "0");
  return h ? `${h}:${mm}:${rr}` : `${mm}:${rr}`;
}
function text(el, value) { if (el && el.textContent !== value) el.textContent = value; }

function showError(message) {
  const box = $("#desk-error");
  box.textContent = message;
  box.hidden = !message;
}

// -- the connection ---------------------------------------------------------------------------

let retry = 500;
function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}${config.ws}`);
  desk.socket = socket;
  socket.onopen = () => { retry = 500; desk.connected = true; text($("#desk-link"), gettext("已连接")); };
  socket.onmessage = (message) => receive(JSON.parse(message.data));
  socket.onclose = (closed) => {
    desk.connected = false;
    text($("#desk-link"), gettext("连接中断，正在重连…"));
    if (closed.code === 4403) return;  // refused: reconnecting will not help
    setTimeout(connect, retry);
    retry = Math.min(retry * 2, 10000);
  };
}

function send(message) {
  if (!desk.socket || desk.socket.readyState !== WebSocket.OPEN) {
    showError(gettext("与服务器的连接已中断，请稍后重试。"));
    return;
  }
  desk.socket.send(JSON.stringify(message));
}

function command(op, body) {
  const id = desk.nextId++;
  desk.pending.set(id, body);
  send({ op, id, command: body });
}

function receive(message) {
  desk.messages += 1;
  if (message.type === "snapshot") {
    desk.state = message.state;
    desk.offset = message.state.now - Date.now() / 1000;
    desk.legal = message.legal;
  } else if (message.type === "event") {
    if (!desk.state || message.patch.seq <= desk.state.seq) return;  // never applied twice
    merge(desk.state, message.patch);
    desk.legal = message.legal;
    onEvent(message.event);
  } else if (message.type === "result") {
    desk.pending.delete(message.id);
    showError(message.ok ? "" : message.error.message);
    return;
  } else if (message.type === "refused" || message.type === "unavailable") {
    showError(message.message);
    return;
  }
  render();
}

function merge(state, patch) {
  for (const key of ["seq", "at", "day", "config"]) if (key in patch) state[key] = patch[key];
  for (const name of SECTIONS) {
    if ((patch.replace || []).includes(name)) state[name] = {};
    for (const [key, value] of Object.entries(patch[name] || {})) {
      if (value === null) delete state[name][key]; else state[name][key] = value;
    }
  }
}

function onEvent(event) {
  if (role === "console" && (event.type === "call.abandoned" || event.type === "call.ended")) {
    reloadAbandoned();
  }
}

function render() {
  if (!desk.state) return;
  if (role === "seat") renderSeat(); else renderConsole();
}

// -- the seat ---------------------------------------------------------------------------------

function mySeat() { return desk.state && desk.state.seats[config.seat]; }

function renderSeat() {
  const seat = mySeat();
  if (!seat) return;
  const label = STATES[seat.state] || seat.state;
  const withReason = gettext("%(state)s（%(reason)s）");
  text($("#seat-state"), seat.reason ? interpolate(withReason, { state: label, reason: seat.reason }, true) : label);
  root.dataset.state = seat.state;
  for (const button of root.querySelectorAll("button[data-command]")) {
    button.disabled = !desk.legal.includes(button.dataset.command);
  }
  if (seat.state === "ringing" && root.dataset.rang !== seat.call_id) {
    root.dataset.rang = seat.call_id;
    ring();
  }
  const call = seat.call_id && desk.state.calls[seat.call_id];
  if (call && call.kind !== "intercom" && desk.poppedCall !== call.call_id) screenPop(call.call_id);
  tick();
}

function tick() {
  const seat = mySeat();
  if (seat && seat.since) text($("#seat-time"), clock(now() - seat.since));
  for (const cell of document.querySelectorAll("[data-since]")) {
    const since = parseFloat(cell.dataset.since);
    if (since) text(cell, clock(now() - since));
  }
}

function ring() {
  const cfg = desk.state.config;
  try {
    const audio = new (window.AudioContext || window.webkitAudioContext)();
    const tone = audio.createOscillator(), gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.value = Math.max(0, Math.min(100, cfg.tone_volume)) / 100;
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + (cfg.tone_ms || 300) / 1000);
    desk.rang = (desk.rang || 0) + 1;
  } catch (error) {
    desk.rang = (desk.rang || 0) + 1;  // no audio device (headless): the pop still opens
  }
}

async function screenPop(callId) {
  desk.poppedCall = callId;
  const answer = await fetch(`/desk/pop/${encodeURIComponent(callId)}/`, { credentials: "same-origin" });
  if (answer.ok) $("#pop").innerHTML = await answer.text();
}

function seatCommand(name) {
  const body = { command: name };
  if (name === "set_not_ready") body.reason = $("#reason").value;
  if (name === "intercom_start") body.target_seat_id = $("#intercom-target").value;
  if (name === "play_recording") body.recording = $("#recording").value;
  command("command", body);
}

function keyName(event) { return (event.shiftKey ? "Shift+" : "") + event.key; }

function setUpSeat() {
  $("#pop").addEventListener("submit", async (event) => {  // the quick "new customer" form
    event.preventDefault();
    const form = event.target;
    const answer = await fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" });
    if (answer.ok) $("#pop").innerHTML = await answer.text();
  });
  root.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-command]");
    if (button && !button.disabled) seatCommand(button.dataset.command);
  });
  document.addEventListener("keydown", (event) => {
    const key = keyName(event);
    const buttons = [...root.querySelectorAll(`button[data-key="${key}"]`)];
    const enabled = buttons.find((button) => !button.disabled);
    if (!buttons.length) return;
    event.preventDefault();
    if (enabled) seatCommand(enabled.dataset.command);
  });
}

// -- the console ------------------------------------------------------------------------------

function cell(row, value) { const td = document.createElement("td"); td.textContent = value; row.append(td); return td; }

function queueFigures(queueId, q) {
  const calls = Object.values(desk.state.calls).filter((c) => c.state === "queued" && c.queue_id === queueId && !c.target_seat_id);
  const longest = calls.reduce((m, c) => Math.max(m, now() - (c.queued_at || c.arrived_at)), 0);
  const seats = (config.members[queueId] || []).map((s) => desk.state.seats[s]).filter(Boolean);
  const count = (states) => seats.filter((s) => states.includes(s.state)).length;
  const base = q.answered + q.abandoned_after;
  return {
    waiting: calls.length, longest: calls.length ? clock(longest) : "—",
    sl: base ? `${Math.round((100 * q.answered_within) / base)}%` : "—",
    asa: q.answered ? `${Math.round(q.wait_sum / q.answered)}s` : "—",
    ready: count(["ready"]), busy: count(["ringing", "on_call", "dialing", "wrap_up"]), away: count(["not_ready"]),
  };
}

function renderQueues() {
  const body = $("#wallboard-queues tbody");
  body.replaceChildren();
  for (const [id, q] of Object.entries(desk.state.queues).sort()) {
    const f = queueFigures(id, q);
    const row = document.createElement("tr");
    row.dataset.queue = id;
    for (const value of [q.name || config.queues[id] || id, f.waiting, f.longest, q.offered, q.answered, q.abandoned, f.sl, f.asa, f.ready, f.busy, f.away]) cell(row, String(value));
    body.append(row);
  }
}

function steerButton(label, body) {
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = label;
  button.addEventListener("click", () => {
    if (body.command === "set_not_ready") body.reason = $("#steer-reason").value;
    command("steer", body);
  });
  return button;
}

function renderAgents() {
  const body = $("#wallboard-agents tbody");
  body.replaceChildren();
  for (const [id, seat] of Object.entries(desk.state.seats).sort((a, b) => a[0].localeCompare(b[0], "en", { numeric: true }))) {
    const row = document.createElement("tr");
    row.dataset.seat = id;
    row.dataset.state = seat.state;
    const agent = desk.state.agents[seat.employee_id] || {};
    const call = seat.call_id && desk.state.calls[seat.call_id];
    cell(row, id);
    cell(row, seat.employee_id ? `${seat.employee_id} ${config.names[seat.employee_id] || ""}` : "");
    cell(row, STATES[seat.state] || seat.state);
    cell(row, seat.reason || seat.pending_reason || "");
    const since = cell(row, seat.since ? clock(now() - seat.since) : "");
    if (seat.since) since.dataset.since = seat.since;
    cell(row, String(agent.calls_today || 0));
    cell(row, call ? `${call.caller} ${CALL_STATES[call.state] || call.state}` : "");
    const actions = cell(row, "");
    if (seat.state !== "logged_off") {
      actions.append(steerButton(gettext("就绪"), { command: "set_ready", seat_id: id }),
        steerButton(gettext("示忙"), { command: "set_not_ready", seat_id: id }),
        steerButton(gettext("强制退出"), { command: "log_off", seat_id: id }));
    }
    body.append(row);
  }
}

function renderTransfers() {
  const target = desk.state.config.supervisor_seat;
  const list = $("#transfers-waiting");
  list.replaceChildren();
  for (const call of Object.values(desk.state.calls)) {
    if (!target || call.target_seat_id !== target || call.kind === "intercom") continue;
    const item = document.createElement("li");
    item.dataset.call = call.call_id;
    item.textContent = `${call.caller} ${call.state === "ringing" ? gettext("振铃") : gettext("等待")} `;
    const take = document.createElement("button");
    take.type = "button";
    take.textContent = gettext("接听");
    take.disabled = call.state !== "ringing";
    take.addEventListener("click", () => command("take", {}));
    item.append(take);
    list.append(item);
  }
}

function renderConsole() {
  renderQueues();
  renderAgents();
  renderTransfers();
}

let abandonedTimer = null;
function reloadAbandoned() {
  clearTimeout(abandonedTimer);
  abandonedTimer = setTimeout(async () => {
    const box = $("#abandoned");
    const answer = await fetch(box.dataset.url, { credentials: "same-origin" });
    if (answer.ok) box.innerHTML = await answer.text();
  }, 300);
}

function setUpConsole() {
  $("#abandoned").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-callback]");
    if (button) command("callback", { number: button.dataset.callback, call_id: button.dataset.call });
  });
}

if (role === "seat") setUpSeat(); else setUpConsole();
setInterval(() => { if (desk.state) { if (role === "seat") tick(); else renderConsole(); } }, 1000);
connect();
