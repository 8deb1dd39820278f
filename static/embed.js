// /embed talks to the page that frames it with postMessage (docs/EMBED.md).
// It speaks only to its parent, only at the parent's origin, and only when
// that origin is one the operator lists (-allow-origin) or its own; it
// takes commands only from that same window and origin. The events carry
// what the server said and what the sandbox delivered, never a line the
// person typed, so no credential ever leaves the frame.
import { $ } from "./dom.js";
import { embedded, operator, originAllowed, setting } from "./config.js";
import { store, targetByName } from "./store.js";
import { fill } from "./prompt.js";
import * as connect from "./connect.js";
import * as lessons from "./lessons.js";
import { lang } from "./lang.js";

/** maxLine caps a line a host may type or run; the engine checks the rest. */
const maxLine = 1000;

let host = null; // the parent's origin, once trusted

export function init() {}

/** ready starts listening to the host, if this page is framed by a trusted one, and says "ready". */
export function ready() {
  if (!embedded) return;
  const full = $("open-full");
  full.href = `./${location.hash}`;
  full.hidden = false;
  host = trustedParent();
  if (!host) return;
  window.addEventListener("message", onMessage);
  lessons.onProgress((p) => post(p.step >= p.total ? "lesson-done" : "step-done", p));
  post("ready", { lang: lang(), targets: store.targets.map((t) => t.name), lesson: lessons.current() });
}

/** trustedParent returns the origin of the page framing this one, when the operator trusts it. */
function trustedParent() {
  if (window.parent === window) return null;
  let origin = (location.ancestorOrigins && location.ancestorOrigins[0]) || setting("host");
  if (!origin) {
    try {
      origin = new URL(document.referrer).origin;
    } catch {
      return null;
    }
  }
  if (origin === location.origin || originAllowed(operator.embedders, origin)) return origin;
  console.warn(`smtplay: ${origin} frames this playground but is not listed with -allow-origin, so it gets no messages`);
  return null;
}

function post(type, data = {}) {
  const id = setting("id");
  window.parent.postMessage({ smtplay: 1, type, ...(id ? { id } : {}), ...data }, host);
}

/** commands are what the host may ask, each checking its own fields. */
const commands = {
  "load-lesson": async (m) => {
    const ref = typeof m.text === "string" ? { text: m.text } : m.lesson;
    if (!(typeof ref === "string" && ref !== "") && !(typeof ref === "object" && ref !== null)) return "load-lesson wants lesson (an id or an address) or text (a lesson file)";
    const err = await lessons.open(ref);
    if (err) return err.message;
    post("lesson-loaded", lessons.current());
    return null;
  },
  "type-line": (m) => {
    const bad = badLine(m.line);
    if (bad) return bad;
    fill(m.line);
    return null;
  },
  "run-line": (m) => {
    const bad = badLine(m.line);
    if (bad) return bad;
    if (!store.view || store.view.status !== "open") return "not connected: send connect first, or let the person press Connect";
    fill(m.line);
    $("prompt").requestSubmit();
    return null;
  },
  connect: (m) => {
    const name = m.target ?? $("target").value;
    if (!targetByName(name)) return `there is no server named ${JSON.stringify(name)} here`;
    connect.open(name);
    return null;
  },
};

function badLine(line) {
  if (typeof line !== "string") return "line must be a string";
  if (/[\r\n]/.test(line)) return "line must be one line, without CR or LF";
  if (line.length > maxLine) return `line is longer than ${maxLine} characters`;
  return null;
}

async function onMessage(e) {
  if (e.source !== window.parent || e.origin !== host) return;
  const m = e.data;
  if (!m || typeof m !== "object" || m.smtplay !== 1) return;
  const run = Object.hasOwn(commands, m.type) ? commands[m.type] : null;
  const error = run ? await run(m) : `unknown command ${JSON.stringify(m.type)}: use ${Object.keys(commands).join(", ")}`;
  if (error) post("error", { command: String(m.type), message: error });
}

/**
 * onEvent passes the console's news on: connected, replies, deliveries, the
 * close, and a line held for the person's decision (a host's line too: only
 * the person sends a line the engine expects to fail).
 */
export function onEvent(ev) {
  if (!host) return;
  switch (ev.type) {
    case "opened":
      post("connected", { target: ev.view.target, host: ev.opened.host, port: ev.opened.port, remote: ev.opened.remote });
      break;
    case "delivered":
      post("delivered", { id: ev.delivered.id, from: ev.delivered.from, to: ev.delivered.to, subject: ev.delivered.subject, size: ev.delivered.size });
      break;
    case "closed":
      post("closed", { by: ev.closed ? ev.closed.by : "" });
      break;
    case "hold": {
      const a = ev.view.hold && ev.view.hold.analysis;
      if (a) post("held", { line: a.shown, warnings: (a.warnings || []).map((w) => w.message.en) });
      break;
    }
  }
  for (const se of ev.session || []) {
    if (se.kind === "reply") post("reply", { code: se.reply.code, enhanced: se.reply.enhanced || "", lines: se.reply.lines, to: se.reply.to });
  }
}
