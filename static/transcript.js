// The transcript: client and server lines apart, a lock on lines that
// travelled inside TLS, and every line explains itself when selected.
// Server text is untrusted: it only ever becomes text nodes.
import { $, el, icon, replace } from "./dom.js";

const list = $("transcript");
const empty = $("empty");
/** records maps a rendered line to what explains it. */
const records = new WeakMap();
let lastServer = null; // the record of the last server line, for its reply and prompt
let selected = null;
let pinned = true; // the view follows new lines while it is at the bottom

export function init() {
  list.addEventListener("click", (e) => {
    if (e.target.closest(".explain")) return;
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
}

export function onEvent(ev) {
  switch (ev.type) {
    case "status":
      if (ev.view.status === "connecting") {
        list.replaceChildren();
        selected = lastServer = null;
        note(`Connecting to ${ev.view.target}…`);
      }
      break;
    case "opened": {
      const o = ev.opened;
      note(o.remote === "sandbox" ? `Connected to the built-in sandbox (${o.host}).` : `Connected to ${o.host}:${o.port} (${o.remote}).`);
      break;
    }
    case "sent":
      pinned = true; // a line sent brings the view back to the conversation's end
      add(ev.entry, { analysis: ev.analysis });
      break;
    case "dropped":
      note(ev.text, "note");
      break;
    case "rejected":
      note(`Not sent: ${ev.text}`, "rejected");
      break;
    case "error":
      if (!ev.session || !ev.session.some((s) => s.entry)) note(ev.error.sentence, "rejected");
      break;
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
  li.append(
    el("span", { class: "t", text: seconds(entry.ms), attrs: { "aria-hidden": "true" } }),
    el("span", { class: "lock" }, entry.tls ? icon("lock", "sent inside TLS") : null),
    el("span", { class: "dir", text: glyph(entry.dir), attrs: { "aria-label": who(entry.dir) } }),
    text(entry, rec.analysis),
  );
  if (entry.dir === "event" && entry.warnings && entry.warnings.length) {
    // What the proxy reports (TLS unverified, plaintext injected, a message
    // lost with the connection) matters too much to wait for a click.
    li.append(el("div", { class: "inline-warnings" }, warningList(entry.warnings)));
  }
  records.set(li, rec);
  if (entry.dir === "server") lastServer = rec;
  push(li);
}

/** note draws a line of the page's own (not the engine's transcript). */
function note(text, kind = "note") {
  push(el("li", { class: `line ${kind}`, tabIndex: -1 },
    el("span", { class: "t" }), el("span", { class: "lock" }), el("span", { class: "dir", text: "·" }), el("span", { class: "text", text })));
}

function push(li) {
  list.append(li);
  empty.hidden = true;
  if (pinned) list.scrollTop = list.scrollHeight;
}

function text(entry, analysis) {
  const span = el("span", { class: "text" });
  if (entry.dir === "server" && entry.code) {
    const code = entry.text.slice(0, 3);
    span.append(el("span", { class: `code c${code[0]}`, text: code }), entry.text.slice(3));
  } else if (entry.secret) {
    span.append(maskedText(entry.text));
  } else if (analysis && analysis.stuffed) {
    span.append(el("span", { class: "stuffed", text: ".", attrs: { title: "dot-stuffing: the server removes this dot" } }), entry.text.slice(1));
  } else {
    span.append(entry.dir === "client" && entry.text === "" ? el("span", { class: "mask", text: "(empty line)" }) : entry.text);
  }
  return span;
}

/** maskedText shows the fixed mask in its own style. */
function maskedText(t) {
  const i = t.indexOf("********");
  if (i < 0) return t;
  return el("span", {}, t.slice(0, i), el("span", { class: "mask", text: "********" }), t.slice(i + 8));
}

const seconds = (ms) => (ms / 1000).toFixed(3);
const glyph = (dir) => ({ client: "→", server: "←", refused: "✕" })[dir] || "·";
const who = (dir) => ({ client: "you", server: "server", refused: "refused by the proxy" })[dir] || "note";

/** select marks a line and opens its explanation in place. */
function select(li) {
  if (selected) {
    selected.removeAttribute("aria-current");
    selected.querySelector(".explain")?.remove();
  }
  selected = li;
  if (!li) return;
  li.setAttribute("aria-current", "true");
  const rec = records.get(li);
  if (rec) li.append(explain(rec, li));
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
    box.append(heading(analysis.title || "Your line", analysis.rfc));
    if (analysis.explanation) box.append(el("p", { text: analysis.explanation }));
  } else if (entry.explanation && !(reply && entry.explanation.startsWith(String(reply.code)))) {
    box.append(el("p", { text: entry.explanation }));
  }
  if (reply) {
    box.append(heading(`${reply.code} · ${reply.title}`, reply.rfc));
    if (reply.explanation) box.append(el("p", { text: reply.explanation }));
    const dl = el("dl");
    const digits = String(reply.code);
    dl.append(el("dt", { text: `${digits[0]}xx` }), el("dd", { text: digitText(reply.class) }));
    dl.append(el("dt", { text: `x${digits[1]}x` }), el("dd", { text: digitText(reply.category) }));
    if (reply.enhanced) {
      dl.append(el("dt", { text: reply.enhanced }), el("dd", {}, el("strong", { text: reply.enhanced_title || "" }), reply.enhanced_explanation ? ` — ${reply.enhanced_explanation}` : "", reply.enhanced_rfc ? " " : "", reply.enhanced_rfc ? el("span", { class: "rfc", text: reply.enhanced_rfc }) : null));
    }
    if (reply.answers) dl.append(el("dt", { text: "answers" }), el("dd", {}, el("code", { text: reply.answers }), ` after ${reply.lapse_ms} ms`));
    box.append(dl);
    if (reply.note) box.append(el("p", {}, el("strong", { text: "Here: " }), reply.note));
  }
  if (prompt) {
    box.append(el("p", {}, el("strong", { text: "Decoded: " }), el("code", { text: prompt.base64 }), " is base64 for ", el("code", { text: prompt.decoded })));
    if (prompt.hint) box.append(el("p", { class: "muted", text: prompt.hint }));
  }
  if (entry.dir === "event" || entry.dir === "refused") {
    box.append(el("p", { text: entry.text }));
  }
  if (entry.secret) box.append(revealer(entry, li));
  const warnings = entry.warnings || (analysis && analysis.warnings) || [];
  if (warnings.length && entry.dir !== "event") box.append(warningList(warnings));
  if (!box.childElementCount) box.append(el("p", { class: "muted", text: "Nothing more to say about this line." }));
  return box;
}

/** digitText drops the "2yz: " the tables start with: the term shows it. */
const digitText = (s) => (s || "").replace(/^[0-9x][0-9xyz]{2}: /, "");

function heading(title, rfc) {
  return el("h3", {}, title, rfc ? " " : "", rfc ? el("span", { class: "rfc", text: rfc }) : null);
}

/** revealer shows a secret line as it was sent, with its base64 decoded. */
function revealer(entry, li) {
  const out = el("p", { class: "muted", text: "This line carries credentials: it is masked here and in exports." });
  const btn = el("button", { type: "button", class: "small", text: "Reveal" });
  btn.addEventListener("click", (e) => {
    e.stopPropagation();
    const span = li.querySelector(".text");
    if (btn.textContent === "Hide") {
      replace(span, maskedText(entry.text));
      btn.textContent = "Reveal";
      replace(out, "This line carries credentials: it is masked here and in exports.");
      return;
    }
    const raw = window.smtplay.reveal(entry.seq);
    if (raw === null) return;
    replace(span, raw);
    btn.textContent = "Hide";
    const b64 = raw.split(" ").pop();
    const d = window.smtplay.base64Decode(b64);
    replace(out, d.error ? "Revealed." : el("span", {}, "Decoded: ", el("code", { text: d.text })));
  });
  return el("div", {}, out, btn);
}

/** warningList draws the engine's warnings, each with the reply it predicts. */
export function warningList(warnings) {
  return el("ul", { class: "warnings" }, warnings.map((w) => el("li", {},
    icon("warn"),
    el("span", {}, w.expect ? el("span", { class: "badge", text: `expect ${w.expect}` }) : null, w.expect ? " " : "", w.message, w.rfc ? " " : "", w.rfc ? el("span", { class: "rfc", text: w.rfc }) : null))));
}

function exportText() {
  return window.smtplay.exportText({ reveal: $("export-secrets").checked });
}

async function copy() {
  const text = exportText();
  try {
    await navigator.clipboard.writeText(text);
    flash($("copy"), "Copied");
  } catch {
    // No clipboard API outside a secure context: copy from a selection.
    const area = el("textarea", { value: text, readOnly: true, class: "offscreen" });
    document.body.append(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    flash($("copy"), ok ? "Copied" : "Copy failed");
  }
}

function download() {
  const blob = new Blob([exportText()], { type: "text/plain;charset=utf-8" });
  const a = el("a", { href: URL.createObjectURL(blob), download: `smtplay-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-")}.txt` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

function flash(btn, text) {
  const old = btn.textContent;
  btn.textContent = text;
  setTimeout(() => { btn.textContent = old; }, 1200);
}
