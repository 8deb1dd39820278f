// The in-page sandbox. When no smtplay server answers (the page is served
// as static files) or the address says #offline, the practice server runs
// in a Web Worker (sandboxworker.js, fetching sandbox.wasm only then) and
// the page speaks to it over MessagePorts (docs/PROTOCOL.md, "In-page
// transport"): each tunnel session is one port, and the JSON API the page
// fetches (api/targets, api/settings, api/sandbox/…) is answered by the
// worker, one port per request, behind the page's own fetch. The settings
// a proxy would give (api/settings: which pages may embed this one) come
// from settings.json beside the page, which make static writes.
import { $, el } from "./dom.js";
import { setting } from "./config.js";
import { t } from "./lang.js";

/** inPageURL is the tunnel address the Go half takes for the in-page sandbox. */
export const inPageURL = "inpage:tunnel";

/**
 * state.active is true once the page uses the in-page sandbox; state.targets
 * is the server's list of servers, as decide got it (null until then, and
 * for the in-page sandbox).
 */
export const state = { active: false, targets: null };

let worker = null;
let ready = null; // resolves when the worker's Go program runs; rejects with why not

/**
 * decide starts the in-page sandbox when the address asks for it (#offline)
 * or when GET api/targets does not answer with a list of servers, and
 * reports whether it did.
 */
export async function decide() {
  if (await serverAnswers()) {
    if (setting("offline") === null) return false;
    // #offline on a smtplay server: its binary does not carry the worker's
    // wasm (make static's build does), and its own sandbox answers anyway.
    if (!(await workerShipped())) {
      showNote("offline.notShipped", "This smtplay server does not carry the in-page practice server (make static builds it), so its built-in sandbox answers instead.");
      return false;
    }
  }
  start();
  return true;
}

/** workerShipped reports whether the in-page sandbox's wasm is beside the page. */
async function workerShipped() {
  try {
    return (await fetch(new URL("sandbox.wasm", import.meta.url), { method: "HEAD" })).ok;
  } catch {
    return false;
  }
}

async function serverAnswers() {
  try {
    const resp = await fetch("api/targets", { cache: "no-store" });
    const list = resp.ok ? await resp.json() : null;
    if (!Array.isArray(list)) return false;
    state.targets = list; // connect.loadTargets need not ask again
    return true;
  } catch {
    return false; // no server, or not a smtplay one
  }
}

function start() {
  worker = new Worker(new URL("sandboxworker.js", import.meta.url));
  ready = new Promise((resolve, reject) => {
    worker.addEventListener("message", (e) => {
      if (e.data && e.data.ready) resolve();
      if (e.data && e.data.failed) reject(new Error(e.data.failed));
    });
    worker.addEventListener("error", (e) => reject(new Error(e.message || "the in-page sandbox could not start")));
  });
  const pageFetch = window.fetch.bind(window);
  const api = new URL("api/", location.href);
  window.fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href);
    if (url.origin !== api.origin || !url.pathname.startsWith(api.pathname)) return pageFetch(input, init);
    const path = `api/${url.pathname.slice(api.pathname.length)}${url.search}`;
    return path === "api/settings" ? hostSettings(pageFetch) : ask(path);
  };
  window.smtplayOffline = { tunnel };
  state.active = true;
  showNote("offline.note", "Practice server running in your browser; real servers need a smtplay server.");
  // The footer's "through a proxy…" is not so here.
  const about = document.querySelector('.about [data-i18n="about.after"]');
  if (about) {
    about.dataset.i18n = "offline.about";
    const a = t("offline.about");
    if (a !== "offline.about") about.textContent = a;
  }
}

/** tunnel gives the Go half a new port for one session; the worker has its other end. */
function tunnel() {
  const ch = new MessageChannel();
  worker.postMessage({ tunnel: ch.port2 }, [ch.port2]);
  return ch.port1;
}

/** ask is fetch for an api/ path, answered by the worker. */
async function ask(path) {
  await ready;
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = (e) => {
      ch.port1.close();
      const d = e.data;
      resolve(new Response(d.body, { status: d.status, headers: { "Content-Type": d.type || "application/octet-stream" } }));
    };
    worker.postMessage({ fetch: path, port: ch.port2 }, [ch.port2]);
  });
}

/**
 * hostSettings answers api/settings from the static host's settings.json
 * (the origins whose pages may send embed.html commands, make static's
 * STATIC_EMBED_ORIGINS), and from the worker, which lists none, where the
 * host has no such file. A file that is not a settings object lists none
 * either, and the console says why.
 */
async function hostSettings(pageFetch) {
  let resp;
  try {
    resp = await pageFetch(new URL("settings.json", location.href), { cache: "no-cache" });
  } catch {
    return ask("api/settings");
  }
  if (resp.status === 404) return ask("api/settings");
  const list = (v) => Array.isArray(v) && v.every((s) => typeof s === "string");
  try {
    const s = resp.ok ? await resp.json() : null;
    if (!s || !list(s.embedders) || (s.lesson_origins !== undefined && !list(s.lesson_origins))) throw new Error(`${resp.status}, not {"embedders": [origins…]}`);
    return Response.json({ embedders: s.embedders, lesson_origins: s.lesson_origins || [] });
  } catch (err) {
    console.warn(`smtplay: settings.json could not be read (${err.message}), so no page may send this playground commands`);
    return ask("api/settings");
  }
}

/** showNote says under the server list where the practice server runs (translated with the page, data-i18n). */
function showNote(key, english) {
  const s = t(key);
  $("target-info").before(el("p", { id: "offline-note", class: "offline-note", dataset: { i18n: key }, attrs: { role: "note" }, text: s === key ? english : s }));
}

/**
 * frameSource loads an api/ document (a message's sanitized HTML) into a
 * sandboxed frame and returns the frame: by its address from a server; by
 * its text (srcdoc) from the in-page sandbox, whose api/ paths a static
 * host does not have. The frame's sandbox="" keeps it without scripts either way.
 */
export function frameSource(frame, url) {
  if (!state.active) {
    frame.src = url;
    return frame;
  }
  fetch(url)
    .then((r) => (r.ok ? r.text() : ""))
    .then((html) => { frame.srcdoc = html; })
    .catch(() => {}); // the frame stays empty; the Text tab still has the message
  return frame;
}
