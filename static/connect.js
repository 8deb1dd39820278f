// The connect bar: the servers of GET /api/targets (sandboxes first, with
// their practice login), Connect and Disconnect, the status pill, and the
// alert that says in a sentence what went wrong.
import { $, el, icon, replace } from "./dom.js";
import { store, targetByName } from "./store.js";
import { setting } from "./config.js";
import { replaying } from "./replay.js";
import { onChange, said, t } from "./lang.js";
import { early as drawEarly, rich } from "./transcript.js";
import { early as panelEarly } from "./panel.js";
import { requested as wireRequested } from "./wireview.js";
import * as earlyTunnel from "./earlytunnel.js";
import { freeze } from "./sessions.js";
import { inPageURL, state as offline } from "./offline.js";

const select = $("target");
const connectBtn = $("connect");
const disconnectBtn = $("disconnect");
const statusEl = $("status");
const statusText = $("status-text");
let started = false; // the Go half runs
let held = null; // what Connect asked for before the Go half ran: ready opens it
let early = null; // held's session, opened by the page itself (earlytunnel.js): ready hands it over
let shownStatus = null; // [status, text(), tls]: redrawn in a new language
let shownAlert = null; // [title(), detail(), level]
let last = null; // what open was last asked for: reconnect asks again
let usableYet = false; // until usable, a press is early.js's to keep

export function init() {
  $("connect-bar").addEventListener("submit", (e) => {
    e.preventDefault();
    if (usableYet) open(select.value);
  });
  disconnectBtn.addEventListener("click", () => window.smtplay.close());
  select.addEventListener("change", showTarget);
  $("alert-close").addEventListener("click", hideAlert);
  onChange(() => {
    if (store.view) draw(store.view);
    else if (shownStatus) setStatus(...shownStatus);
    if (shownAlert && !$("alert").hidden) showAlert(...shownAlert);
    if (store.targets.length) showTarget();
  });
}

/** say is t, with English when the strings could not be loaded (the page failed early). */
function say(key, vars, english) {
  const s = t(key, vars);
  return s === key ? english : s;
}

/**
 * loadTargets fills the server list, preselecting the one the person
 * picked before the page's modules ran (the server sends the list:
 * early.js), else the address's #target=.
 */
export async function loadTargets() {
  store.targets = offline.targets ?? (await fetchTargets());
  const picked = window.smtplayEarly?.picked && select.value;
  select.replaceChildren(...store.targets.map((t) => el("option", { value: t.name, text: t.name })));
  if (targetByName(picked)) select.value = picked;
  else if (targetByName(setting("target"))) select.value = setting("target");
  select.disabled = false;
  showTarget();
}

async function fetchTargets() {
  const resp = await fetch("api/targets");
  if (!resp.ok) throw new Error(say("connect.targetsFailed", { status: resp.status }, `the list of servers could not be loaded (${resp.status})`));
  return resp.json();
}

/**
 * usable enables Connect once the servers and the page's words have
 * loaded, which is often before the Go half runs: a press then says
 * "Connecting…" at once, and ready opens the session. A press kept by
 * early.js, before the page's modules ran, is acted on now.
 */
export function usable() {
  usableYet = true;
  const kept = window.smtplayEarly;
  kept?.stop();
  connectBtn.disabled = false;
  setStatus("idle", () => t("status.idle"));
  showTarget(); // drawn before the page's strings were loaded
  if (kept?.pressed) open(select.value);
}

/**
 * ready notes that the Go half runs, and gives it what Connect asked for
 * before: the session the page opened, or, when that socket never opened,
 * a new one.
 */
export async function ready() {
  started = true;
  if (held === null) return;
  const target = held;
  const session = early && (await early.handover());
  held = early = null;
  if (session) window.smtplay.adopt(session.ws, session.got, session.spec);
  else open(target);
}

/** failed says the console could not start. */
export function failed(err) {
  const detail = String(err && err.message ? err.message : err);
  if (early) early.close();
  held = early = null;
  connectBtn.disabled = true;
  setStatus("closed", () => say("status.failed", {}, "The console could not start"));
  showAlert(() => say("alert.failed", {}, "The console could not start."), () => detail, "error");
}

/** open connects to a target by name, or by {host, port}. */
export function open(target) {
  hideAlert();
  last = target;
  if (!started) return hold(target);
  const { url, spec } = request(target);
  freeze(); // the session this one replaces stays in the transcript, exports and all
  window.smtplay.connect(url, spec);
}

/** request is where the tunnel is and what to ask it for target: {url, spec}. */
function request(target) {
  if (offline.active) return { url: inPageURL, spec: specFor(target) };
  const url = new URL("tunnel", location.href);
  url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  return { url: url.href, spec: specFor(target) };
}

function specFor(target) {
  const spec = typeof target === "string" ? { target } : { ...target };
  const t = spec.target && targetByName(spec.target);
  if (t && t.demo && store.mailbox) spec.mailbox = store.mailbox;
  return spec;
}

/**
 * hold keeps a target asked for before the Go half runs, and says it is
 * being connected to. Online, the page opens the session itself, and
 * shows the server's greeting while Go starts.
 */
function hold(target) {
  held = target;
  connectBtn.disabled = true;
  const name = typeof target === "string" ? target : `${target.host}:${target.port}`;
  setStatus("connecting", () => t("status.connecting", { target: name }));
  if (offline.active) return;
  const { url, spec } = request(target);
  const pressed = performance.now();
  drawEarly.connecting(name);
  panelEarly();
  early = earlyTunnel.open(url, spec, wireRequested(), {
    opened: (o) => {
      setStatus("open", () => where(o));
      drawEarly.opened(o);
    },
    line: (l) => drawEarly.line(l, performance.now() - pressed),
  });
}

/** reconnect opens a new session to the target of the last one. */
export function reconnect() {
  if (last !== null) open(last);
}

function showTarget() {
  const info = $("target-info");
  const t = targetByName(select.value);
  if (!t) return replace(info);
  // The built-in sandboxes' descriptions may be translated ("target.<name>");
  // the operator's own servers describe themselves.
  const own = tr(`target.${t.name}`);
  const parts = [el("strong", { text: t.name }), " — ", own || t.description || `${t.host}:${t.port}`];
  if (t.demo) parts.push(" ", ...rich("connect.practice", { user: el("code", { text: t.demo.username }), password: el("code", { text: t.demo.password }) }));
  replace(info, ...parts);
}

/** tr is the string for key, or "" when the language has none. */
function tr(key, vars) {
  const s = t(key, vars);
  return s === key ? "" : s;
}

/** setStatus sets the pill; text is a function, called again after a switch of language. */
function setStatus(status, text, tls) {
  shownStatus = [status, text, tls];
  statusEl.dataset.status = status;
  replace(statusText, text());
  statusEl.title = statusText.textContent; // the whole of it, where the bar cuts it short
  const old = statusEl.querySelector(".icon");
  if (old) old.remove();
  if (tls) statusEl.append(icon("lock", t("status.tls")));
}

export function onEvent(ev) {
  draw(ev.view);
  if (ev.type === "opened" && ev.opened.mailbox) store.mailbox = ev.opened.mailbox;
  if (ev.type === "error") {
    const e = ev.error;
    showAlert(() => said(e.sentence), () => (e.message ? t("alert.proxySaid", { message: said(e.said) }) : ""), e.ends ? "error" : "warn");
  }
}

/** draw shows the buttons and the status of a view. */
function draw(v) {
  const isOpen = v.status === "open";
  connectBtn.disabled = !started || v.status === "connecting";
  connectBtn.textContent = isOpen || v.status === "connecting" ? t("connect.reconnect") : t("connect.connect");
  disconnectBtn.disabled = !(isOpen || v.status === "connecting");
  switch (v.status) {
    case "connecting": setStatus("connecting", () => t("status.connecting", { target: v.target })); break;
    case "open": {
      const o = v.opened;
      setStatus("open", () => `${where(o)} · ${phaseLabel(v.state)}`, v.state && v.state.tls);
      break;
    }
    case "closed":
      if (replaying()) setStatus("idle", () => t("status.replay")); // a shared transcript, read without a session
      else setStatus("closed", () => t("status.closed"));
      break;
    default: setStatus("idle", () => t("status.idle"));
  }
}

/** where says what an opened message reached. */
function where(o) {
  return o.remote === "sandbox" ? t("status.sandbox", { host: o.host }) : t("status.open", { host: o.host, port: o.port });
}

/** phaseLabel names the phase as the state diagram does. */
function phaseLabel(st) {
  if (!st) return "";
  return tr(`phase.${st.phase === "bdat" ? "data" : st.phase}`) || st.phase;
}

/** showAlert shows a title and a detail, both functions: they are called again after a switch of language. */
function showAlert(title, detail, level) {
  shownAlert = [title, detail, level];
  const box = $("alert");
  box.dataset.level = level;
  $("alert-title").textContent = title();
  $("alert-detail").textContent = detail();
  box.hidden = false;
}

function hideAlert() {
  $("alert").hidden = true;
}
