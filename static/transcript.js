// The transcript: client and server lines apart, a lock on lines that
// travelled inside TLS, and every line explains itself when selected.
// Server text is untrusted: it only ever becomes text nodes.
import { $, append, el, icon, replace } from "./dom.js";
import { explained, onChange, said, t } from "./lang.js";
import { copyText, downloadText } from "./clip.js";
import * as sessions from "./sessions.js";

const list = $("transcript");
const empty = $("empty");
/** records maps a rendered line to what explains it. */
const records = new WeakMap();
/** notes maps a line of the page's own to its words: a function, called again after a switch of language. */
const notes = new WeakMap();
let lastServer = null; // the record of the last server line, for its reply and prompt
let selected = null;
let pinned = true; // the view follows new lines while it is at the bottom

export function init() {
  list.addEventListener("click", (e) => {
    if (e.target.closest(".explain, .line-action")) return;
    const li = e.target.closest("li.line");
    if (li) select(li === selected ? null : li);
  });
  list.addEventListener("keydown", onKey);
  list.addEventListener("scroll", () => {
    pinned = list.scrollHeight - list.scrollTop - list.clientHeight < 48;
  });
  new ResizeObserver(() => {
    if (pinned) list.scrollTop = list.scrollHeight;
  }).observe(list);
  $("copy").addEventListener("click", copy);
  $("download").addEventListener("click", download);
  onChange(redraw);
  sessions.init();
}

/**
 * rich is t for a string with elements in it: a var that is a node takes
 * its {name}'s place, as in rich(key, {user: el("code", …)}). It returns the
 * parts, for el, append or replace.
 */
export function rich(key, vars = {}) {
  const plain = {};
  const nodes = {};
  for (const [k, v] of Object.entries(vars)) (v instanceof Node ? nodes : plain)[k] = v;
  return t(key, plain).split(/\{([a-z]+)\}/).map((part, i) => (i % 2 ? nodes[part] ?? `{${part}}` : part));
}

/** redraw puts every line and the open explanation in the new language. */
function redraw() {
  for (const li of list.children) {
    const rec = records.get(li);
    const words = notes.get(li);
    if (rec) {
      replace(li, ...lineParts(rec));
    } else if (words) {
      li.querySelector(".text").textContent = words();
    }
  }
  if (selected && records.has(selected)) openExplain(selected);
}

/** openExplain (re)opens the explanation of a selected line. */
function openExplain(li) {
  li.querySelector(".explain")?.remove();
  const rec = records.get(li);
  if (rec) li.append(explain(rec, li));
}

export function onEvent(ev) {
  switch (ev.type) {
    case "status":
      if (ev.view.status === "connecting") {
        const target = ev.view.target;
        if (selected) select(null);
        sessions.begin(list, target); // empties the list, or keeps the session it replaces above
        lastServer = null;
        note(() => t("status.connecting", { target }));
      }
      break;
    case "opened":
      note(openedWords(ev.opened));
      break;
    case "sent":
      pinned = true; // a line sent brings the view back to the conversation's end
      add(ev.entry, { analysis: ev.analysis });
      break;
    case "dropped": {
      note(() => said(ev.text), "note");
      break;
    }
    case "rejected": {
      note(() => t("transcript.notSent", { text: said(ev.text) }), "rejected");
      break;
    }
    case "error": {
      const e = ev.error;
      if (!ev.session || !ev.session.some((s) => s.entry)) note(() => said(e.sentence), "rejected");
      break;
    }
  }
  for (const se of ev.session || []) {
    if (se.entry) add(se.entry, {});
    if (se.kind === "reply" && lastServer) lastServer.reply = se.reply;
    if (se.kind === "prompt" && lastServer) lastServer.prompt = se.prompt;
  }
  const has = list.querySelector("li.line.client, li.line.server") !== null;
  $("copy").disabled = $("download").disabled = !has;
  empty.hidden = list.childElementCount > 0;
}

/** add draws one transcript entry. */
function add(entry, extra) {
  const rec = { entry, ...extra };
  const li = el("li", { class: `line ${entry.dir}`, tabIndex: -1, dataset: { seq: entry.seq } });
  if (entry.warnings && entry.warnings.length) li.classList.add("has-warning");
  append(li, ...lineParts(rec));
  records.set(li, rec);
  if (entry.dir === "server") lastServer = rec;
  push(li);
}

/** lineParts are the time, the lock, the direction and the text of an entry. */
function lineParts(rec) {
  const { entry } = rec;
  return [
    el("span", { class: "t", text: seconds(entry.ms), attrs: { "aria-hidden": "true" } }),
    el("span", { class: "lock" }, entry.tls ? icon("lock", t("transcript.inTLS")) : null),
    el("span", { class: "dir", text: glyph(entry.dir), attrs: { "aria-label": who(entry.dir) } }),
    text(entry, rec.analysis, rec.shown),
    // What the proxy reports (TLS unverified, plaintext injected, a message
    // lost with the connection) matters too much to wait for a click.
    entry.dir === "event" && entry.warnings && entry.warnings.length ? el("div", { class: "inline-warnings" }, warningList(entry.warnings)) : null,
  ];
}

/**
 * early draws a session the page opened itself before the Go half ran
 * (earlytunnel.js) as Go would draw it, every line unexplained: the
 * connecting note, the opened one, and each server line with its code and
 * the seconds since the press. The Go half's first event of the session
 * draws it again, every line explained.
 */
export const early = {
  connecting(target) {
    sessions.begin(list, target);
    note(() => t("status.connecting", { target }));
  },
  opened(o) {
    note(openedWords(o));
  },
  line(line, ms) {
    const entry = { dir: "server", code: /^\d{3}/.test(line), text: { en: line }, ms };
    push(el("li", { class: "line server early", tabIndex: -1 }, ...lineParts({ entry })));
  },
};

/** openedWords says what an opened message reached, as a function for note. */
function openedWords(o) {
  return () => (o.remote === "sandbox" ? t("transcript.opened.sandbox", { host: o.host }) : t("transcript.opened", { host: o.host, port: o.port, remote: o.remote }));
}

/** note draws a line of the page's own (not the engine's transcript); words is a function that says it. */
function note(words, kind = "note") {
  const li = el("li", { class: `line ${kind}`, tabIndex: -1 },
    el("span", { class: "t" }), el("span", { class: "lock" }), el("span", { class: "dir", text: "·" }), el("span", { class: "text", text: words() }));
  notes.set(li, words);
  push(li);
}

/**
 * noteAction draws a line of the page's own with a button after its words,
 * such as the inbox's "new mail" line after the 250 that took a message.
 */
export function noteAction(words, button) {
  note(words, "note");
  list.lastElementChild.append(el("span", { class: "line-action" }, button));
}

function push(li) {
  list.append(li);
  empty.hidden = true;
  follow();
}

let following = false;

/**
 * follow keeps the view at the newest line while it is pinned there, once
 * per frame: reading scrollHeight lays the page out, which the frame does
 * anyway, so a burst of lines costs one layout instead of one each.
 */
function follow() {
  if (!pinned || following) return;
  following = true;
  requestAnimationFrame(() => {
    following = false;
    if (pinned) list.scrollTop = list.scrollHeight;
  });
}

/** text draws the line's text; shown is a secret line revealed. */
function text(entry, analysis, shown) {
  const span = el("span", { class: "text" });
  if (entry.dir === "server" && entry.code) {
    const code = entry.text.en.slice(0, 3);
    span.append(el("span", { class: `code c${code[0]}`, text: code }), entry.text.en.slice(3));
  } else if (entry.secret) {
    span.append(shown ?? maskedText(entry.text.en));
  } else if (analysis && analysis.stuffed) {
    span.append(el("span", { class: "stuffed", text: ".", attrs: { title: t("transcript.stuffed") } }), entry.text.en.slice(1));
  } else {
    span.append(entry.dir === "client" && entry.text.en === "" ? el("span", { class: "mask", text: t("transcript.emptyLine") }) : said(entry.text));
  }
  return span;
}

/** maskedText shows the fixed mask in its own style. */
function maskedText(s) {
  const i = s.indexOf("********");
  if (i < 0) return s;
  return el("span", {}, s.slice(0, i), el("span", { class: "mask", text: "********" }), s.slice(i + 8));
}

const seconds = (ms) => (ms / 1000).toFixed(3);
const glyph = (dir) => ({ client: "→", server: "←", refused: "✕" })[dir] || "·";
const who = (dir) => t(`transcript.who.${["client", "server", "refused"].includes(dir) ? dir : "note"}`);

/** select marks a line and opens its explanation in place. */
function select(li) {
  if (selected) {
    selected.removeAttribute("aria-current");
    selected.querySelector(".explain")?.remove();
  }
  selected = li;
  if (!li) return;
  li.setAttribute("aria-current", "true");
  openExplain(li);
  li.focus({ preventScroll: true });
  li.scrollIntoView({ block: "nearest" });
}

function onKey(e) {
  const lines = [...list.querySelectorAll("li.line")];
  if (!lines.length) return;
  let i = selected ? lines.indexOf(selected) : -1;
  switch (e.key) {
    case "ArrowDown": i = Math.min(lines.length - 1, i + 1); break;
    case "ArrowUp": i = i < 0 ? lines.length - 1 : Math.max(0, i - 1); break;
    case "Home": i = 0; break;
    case "End": i = lines.length - 1; break;
    case "Escape": select(null); $("line").focus(); e.preventDefault(); return;
    default: return;
  }
  e.preventDefault();
  select(lines[i]);
}

/** explain builds the explanation of one line. */
function explain(rec, li) {
  const { entry, reply, prompt, analysis } = rec;
  const box = el("div", { class: "explain" });
  if (entry.dir === "client" && analysis) {
    box.append(heading(said(analysis.title) || t("transcript.yourLine"), analysis.rfc));
    const explanation = said(analysis.explanation);
    if (explanation) box.append(el("p", { text: explanation }));
  } else if (entry.explanation && !(reply && entry.explanation.en.startsWith(String(reply.code)))) {
    box.append(el("p", { text: said(entry.explanation) }));
  }
  if (reply) {
    box.append(heading(`${reply.code} · ${said(reply.title)}`, reply.rfc));
    const explanation = said(reply.explanation);
    if (explanation) box.append(el("p", { text: explanation }));
    const dl = el("dl");
    const digits = String(reply.code);
    dl.append(el("dt", { text: `${digits[0]}xx` }), el("dd", { text: digitText(explained(`class.${digits[0]}`, reply.class)) }));
    dl.append(el("dt", { text: `x${digits[1]}x` }), el("dd", { text: digitText(said(reply.category)) }));
    if (reply.enhanced) {
      const [title, text] = enhancedWords(reply);
      dl.append(el("dt", { text: reply.enhanced }), el("dd", {}, el("strong", { text: title || "" }), text ? ` — ${text}` : "", reply.enhanced_rfc ? " " : "", reply.enhanced_rfc ? el("span", { class: "rfc", text: reply.enhanced_rfc }) : null));
    }
    if (reply.answers) dl.append(el("dt", { text: t("transcript.answers") }), el("dd", {}, rich("transcript.answersAfter", { line: el("code", { text: reply.answers }), ms: reply.lapse_ms })));
    box.append(dl);
    if (reply.note) box.append(el("p", {}, el("strong", { text: t("transcript.here") }), " ", said(reply.note)));
  }
  if (prompt) {
    box.append(el("p", {}, el("strong", { text: t("transcript.decoded") }), " ", rich("transcript.isBase64", { encoded: el("code", { text: prompt.base64 }), text: el("code", { text: prompt.decoded }) })));
    if (said(prompt.hint)) box.append(el("p", { class: "muted", text: said(prompt.hint) }));
  }
  if (entry.dir === "event" || entry.dir === "refused") {
    box.append(el("p", { text: said(entry.text) }));
  }
  if (entry.secret) box.append(revealer(entry, li));
  const warnings = entry.warnings || (analysis && analysis.warnings) || [];
  if (warnings.length && entry.dir !== "event") box.append(warningList(warnings));
  if (!box.childElementCount) box.append(el("p", { class: "muted", text: t("transcript.nothing") }));
  return box;
}

/**
 * enhancedWords are the title and explanation of the reply's enhanced code.
 * The engine says its class's title, then what subject.detail means in any
 * class ("Permanent failure: " and X.5.1's text); the language's words are
 * put together the same way, or the engine's English is kept whole.
 */
function enhancedWords(reply) {
  const [cls, subject, detail] = reply.enhanced.split(".");
  const key = `enhanced.x.${subject}.${detail}`;
  const classTitle = explained(`enhanced.${cls}.x.x`, null);
  const text = explained(`${key}.text`, null);
  if (classTitle === null || text === null) return [reply.enhanced_title, reply.enhanced_explanation];
  return [explained(`${key}.title`, reply.enhanced_title), `${classTitle}: ${text}`];
}

/** digitText drops the "2yz: " the tables start with: the term shows it. */
const digitText = (s) => (s || "").replace(/^[0-9x][0-9xyz]{2}: /, "");

function heading(title, rfc) {
  return el("h3", {}, title, rfc ? " " : "", rfc ? el("span", { class: "rfc", text: rfc }) : null);
}

/** revealer shows a secret line as it was sent, with its base64 decoded. */
function revealer(entry, li) {
  const rec = records.get(li);
  const out = el("p", { class: "muted" });
  const btn = el("button", { type: "button", class: "small" });
  const words = () => {
    btn.textContent = t(rec.shown === undefined ? "transcript.reveal" : "transcript.hide");
    if (rec.shown === undefined) return replace(out, t("transcript.secret"));
    const d = window.smtplay.base64Decode(rec.shown.split(" ").pop());
    replace(out, d.error ? t("transcript.revealed") : el("span", {}, rich("transcript.revealedText", { text: el("code", { text: d.text }) })));
  };
  btn.addEventListener("click", (e) => {
    e.stopPropagation();
    if (rec.shown !== undefined) {
      delete rec.shown;
    } else {
      const raw = window.smtplay.reveal(entry.seq);
      if (raw === null) return;
      rec.shown = raw;
    }
    replace(li.querySelector(".text"), rec.shown ?? maskedText(entry.text.en));
    words();
  });
  words();
  return el("div", {}, out, btn);
}

/** warningList draws the engine's warnings, each with the reply it predicts. */
export function warningList(warnings) {
  return el("ul", { class: "warnings" }, warnings.map((w) => el("li", {},
    icon("warn"),
    el("span", {}, w.expect ? el("span", { class: "badge", text: t("transcript.expect", { code: w.expect }) }) : null, w.expect ? " " : "", said(w.message), w.rfc ? " " : "", w.rfc ? el("span", { class: "rfc", text: w.rfc }) : null))));
}

function exportText() {
  return window.smtplay.exportText({ reveal: $("export-secrets").checked });
}

function copy() {
  copyText(exportText(), $("copy"));
}

function download() {
  downloadText(exportText(), `smtplay-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-")}.txt`);
}
