// /embed talks to the page that frames it with postMessage (docs/EMBED.md).
// It speaks only to its parent, only at the parent's origin, and only when
// that origin is one the operator lists (-allow-origin) or its own; it
// takes commands only from that same window and origin. By default the
// events carry what a lesson checks (reply codes, the verb a reply answers,
// phases, warning codes, steps), never a line the person typed nor server
// text that may echo one; a host that sets #share=lines gets those too, and
// the embed tells the person so on screen. A lesson step is posted after
// the event that completed it.
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
let shared = false; // #share=lines: the host gets the person's text too, and the person sees a notice
const caused = []; // lesson progress an event caused, posted after that event's own messages

export function init() {}

/** ready starts listening to the host, if this page is framed by a trusted one, and says "ready". */
export function ready() {
  if (!embedded) return;
  const full = $("open-full");
  full.href = `./${location.hash}`;
  full.hidden = false;
  host = trustedParent();
  if (!host) return;
  shared = setting("share") === "lines";
  $("embed-shared").hidden = !shared;
  window.addEventListener("message", onMessage);
  lessons.onProgress((p) => {
    // The lessons module sees an event before this one does: hold the step
    // until onEvent has posted the event that completed it.
    if (!caused.length) queueMicrotask(postCaused);
    caused.push([p.step >= p.total ? "lesson-done" : "step-done", p]);
  });
  post("ready", { lang: lang(), targets: store.targets.map((t) => t.name), lesson: lessons.current(), share: shared ? "lines" : "" });
}

/** postCaused posts the lesson progress held back, in the order it came. */
function postCaused() {
  for (const [type, p] of caused.splice(0)) post(type, p);
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

/** post sends the host one event; the fragment's id, when set, names the frame in every one (and wins over a field of the same name). */
function post(type, data = {}) {
  const id = setting("id");
  window.parent.postMessage({ smtplay: 1, type, ...data, ...(id ? { id } : {}) }, host);
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

/** verbs are the commands a reply's "to" names as they are (wasm/explain/commands.go); another word the person typed is "unknown". */
const verbs = new Set(["HELO", "EHLO", "MAIL", "RCPT", "DATA", "RSET", "VRFY", "EXPN", "HELP", "NOOP", "QUIT", "AUTH", "STARTTLS", "BDAT", "ETRN", "ATRN", "BURL", "TURN", "SEND", "SOML", "SAML", "LHLO", "XCLIENT", "XFORWARD"]);

/** answers returns what a reply answers: a verb, the engine's own lower-case name ("greeting", "end-of-data", …) or "unknown". */
function answers(to) {
  if (!to || shared || verbs.has(to) || /^[a-z]+(-[a-z]+)*$/.test(to)) return to || "";
  return "unknown";
}

/**
 * onEvent passes the console's news on: connected, replies, phases,
 * capabilities, deliveries, the close, and a line held for the person's
 * decision (a host's line too: only the person sends a line the engine
 * expects to fail); then the lesson step the event completed. Without
 * #share=lines nothing the person typed goes: no line, address or subject,
 * no reply text (a server echoes addresses), no sentence that may quote
 * them.
 */
export function onEvent(ev) {
  if (!host) return;
  switch (ev.type) {
    case "opened":
      post("connected", { target: ev.view.target, host: ev.opened.host, port: ev.opened.port, remote: ev.opened.remote });
      break;
    case "delivered": {
      const d = ev.delivered;
      post("delivered", { message: d.id, id: d.id, recipients: (d.to || []).length, size: d.size, ...(shared ? { from: d.from, to: d.to, subject: d.subject } : {}) });
      break;
    }
    case "closed":
      post("closed", { by: ev.closed ? ev.closed.by : "" });
      break;
    case "hold": {
      const a = ev.view.hold && ev.view.hold.analysis;
      if (!a) break;
      const ws = a.warnings || [];
      const expect = ws.find((w) => w.expect);
      post("held", {
        mode: a.mode || "",
        verb: a.command ? answers(a.command.verb) : "",
        warnings: ws.map((w) => w.code),
        expect: expect ? expect.expect : "",
        ...(shared ? { line: a.shown, messages: ws.map((w) => w.message.en) } : {}),
      });
      break;
    }
  }
  for (const se of ev.session || []) {
    const report = reports[se.kind];
    if (report) report(se);
  }
  postCaused();
}

/** reports post the engine's session events a lesson checks, by kind. */
const reports = {
  reply: (se) => {
    const r = se.reply;
    post("reply", { code: r.code, enhanced: r.enhanced || "", to: answers(r.to), ...(shared ? { lines: r.lines } : {}) });
  },
  state: (se) => post("state", { from: se.from, to: se.to }),
  capabilities: (se) => post("capabilities", { keywords: (se.capabilities || []).map((c) => c.keyword) }),
};
