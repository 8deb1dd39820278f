// The connect bar: the servers of GET /api/targets (sandboxes first, with
// their practice login), Connect and Disconnect, the status pill, and the
// alert that says in a sentence what went wrong.
import { $, el, icon, replace } from "./dom.js";
import { store, targetByName } from "./store.js";

const select = $("target");
const connectBtn = $("connect");
const disconnectBtn = $("disconnect");
const statusEl = $("status");
const statusText = $("status-text");
let started = false;

export function init() {
  $("connect-bar").addEventListener("submit", (e) => {
    e.preventDefault();
    open(select.value);
  });
  disconnectBtn.addEventListener("click", () => window.smtplay.close());
  select.addEventListener("change", showTarget);
  $("alert-close").addEventListener("click", hideAlert);
}

/** loadTargets fills the server list. */
export async function loadTargets() {
  const resp = await fetch("api/targets");
  if (!resp.ok) throw new Error(`the list of servers could not be loaded (${resp.status})`);
  store.targets = await resp.json();
  select.replaceChildren(...store.targets.map((t) => el("option", { value: t.name, text: t.name })));
  select.disabled = false;
  showTarget();
}

/** ready enables Connect once the Go half runs. */
export function ready() {
  started = true;
  connectBtn.disabled = false;
  setStatus("idle", "Not connected");
}

/** failed says the console could not start. */
export function failed(err) {
  setStatus("closed", "The console could not start");
  showAlert("The console could not start.", String(err && err.message ? err.message : err), "error");
}

/** open connects to a target by name, or by {host, port}. */
export function open(target) {
  hideAlert();
  const url = new URL("tunnel", location.href);
  url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  const spec = typeof target === "string" ? { target } : { ...target };
  const t = spec.target && targetByName(spec.target);
  if (t && t.demo && store.mailbox) spec.mailbox = store.mailbox;
  window.smtplay.connect(url.href, spec);
}

function showTarget() {
  const info = $("target-info");
  const t = targetByName(select.value);
  if (!t) return replace(info);
  const parts = [el("strong", { text: t.name }), " — ", t.description || `${t.host}:${t.port}`];
  if (t.demo) parts.push(" Practice login: ", el("code", { text: t.demo.username }), " / ", el("code", { text: t.demo.password }), ".");
  replace(info, ...parts);
}

function setStatus(status, text, tls) {
  statusEl.dataset.status = status;
  replace(statusText, text);
  const old = statusEl.querySelector(".icon");
  if (old) old.remove();
  if (tls) statusEl.append(icon("lock", "encrypted with TLS"));
}

export function onEvent(ev) {
  const v = ev.view;
  const isOpen = v.status === "open";
  connectBtn.disabled = !started || v.status === "connecting";
  connectBtn.textContent = v.status === "open" || v.status === "connecting" ? "Reconnect" : "Connect";
  disconnectBtn.disabled = !(isOpen || v.status === "connecting");
  switch (v.status) {
    case "connecting": setStatus("connecting", `Connecting to ${v.target}…`); break;
    case "open": {
      const o = v.opened;
      const where = o.remote === "sandbox" ? `Connected to the ${o.host}` : `Connected to ${o.host}:${o.port}`;
      setStatus("open", `${where} · ${phaseLabel(v.state)}`, v.state && v.state.tls);
      break;
    }
    case "closed": setStatus("closed", "Disconnected"); break;
    default: setStatus("idle", "Not connected");
  }
  if (ev.type === "opened" && ev.opened.mailbox) store.mailbox = ev.opened.mailbox;
  if (ev.type === "error") {
    const e = ev.error;
    showAlert(e.sentence, e.message ? `The proxy said: ${e.message}` : "", e.ends ? "error" : "warn");
  }
}

/** phaseLabel names the phase as the state diagram does. */
function phaseLabel(st) {
  if (!st) return "";
  const node = document.querySelector(`#diagram [data-phase="${st.phase === "bdat" ? "data" : st.phase}"] text`);
  return node ? node.textContent : st.phase;
}

function showAlert(title, detail, level) {
  const box = $("alert");
  box.dataset.level = level;
  $("alert-title").textContent = title;
  $("alert-detail").textContent = detail;
  box.hidden = false;
}

function hideAlert() {
  $("alert").hidden = true;
}
