// The input line: Enter sends, the completion list (completion.js) offers
// the engine's suggestions as the line is typed, ↑/↓ walk the history, a multi-line paste goes line by line. Every line is
// checked as it is typed; a line the engine expects to fail is held until
// the person sends it anyway, edits it, or skips it.
import { $, el, replace } from "./dom.js";
import { store } from "./store.js";
import { warningList } from "./transcript.js";
import { onChange, said, t } from "./lang.js";
import * as completion from "./completion.js";
import { shorten } from "./shorten.js";

const input = $("line");
const send = $("send");
const mode = $("mode");
const preview = $("preview");
const hold = $("hold");
const history = [];
let historyAt = 0;
let draft = "";
let shownHold = null;

// The label of each mode; its title is "prompt.mode.<mode>".
const modeLabels = {
  command: "C:",
  content: "DATA",
  "auth-response": "334",
  chunk: "BDAT",
  wait: () => t("prompt.wait"),
  closed: "—",
};

export function init() {
  $("prompt").addEventListener("submit", (e) => {
    e.preventDefault();
    submit();
  });
  input.addEventListener("keydown", onKey);
  input.addEventListener("input", () => {
    completion.update();
    showPreview();
  });
  completion.init((s) => fill(said(s.line), s.template));
  input.addEventListener("paste", (e) => {
    const text = e.clipboardData.getData("text");
    if (!/[\r\n]/.test(text)) return;
    e.preventDefault();
    window.smtplay.paste(input.value + text);
    input.value = "";
    completion.close();
    showPreview();
  });
  $("hold-fix").addEventListener("click", () => window.smtplay.resolve("fix"));
  $("hold-send").addEventListener("click", () => window.smtplay.resolve("send"));
  $("hold-skip").addEventListener("click", () => window.smtplay.resolve("skip"));
  $("hold-stop").addEventListener("click", () => window.smtplay.resolve("stop"));
  $("hold-edit").addEventListener("click", () => {
    const a = shownHold && shownHold.analysis;
    window.smtplay.resolve("stop");
    if (a && !a.secret) input.value = a.line;
    input.focus();
    showPreview();
  });
  hold.addEventListener("keydown", (e) => {
    if (e.key === "Escape") $("hold-edit").click();
  });
  onChange(() => {
    if (!store.view) return;
    drawMode(store.view);
    if (shownHold) holdWords(shownHold);
    if (completion.isOpen()) completion.update();
    showPreview();
  });
}

function submit() {
  const v = store.view;
  if (!v || v.status !== "open") return;
  const line = input.value;
  const m = v.state ? v.state.mode : "command";
  if (line === "" && m !== "content") return;
  if (m !== "auth-response" && line !== "" && history[history.length - 1] !== line) history.push(line);
  historyAt = history.length;
  draft = "";
  window.smtplay.submit(line);
  input.value = "";
  completion.close();
  showPreview();
}

function onKey(e) {
  if (completion.onKey(e)) {
    e.preventDefault();
    return;
  }
  switch (e.key) {
    case "ArrowUp":
      if (!history.length || historyAt === 0) return;
      if (historyAt === history.length) draft = input.value;
      historyAt--;
      setInput(history[historyAt]);
      e.preventDefault();
      break;
    case "ArrowDown":
      if (historyAt >= history.length) return;
      historyAt++;
      setInput(historyAt === history.length ? draft : history[historyAt]);
      e.preventDefault();
      break;
  }
}

function setInput(text) {
  input.value = text;
  input.setSelectionRange(text.length, text.length);
  showPreview();
}

/** fill puts a line in the input; a template's placeholder is selected. */
export function fill(line, template = false) {
  input.value = line;
  input.focus();
  completion.close();
  const m = template ? /<([^<>]*)>/.exec(line) : null;
  if (m) input.setSelectionRange(m.index + 1, m.index + 1 + m[1].length);
  else input.setSelectionRange(line.length, line.length);
  showPreview();
}

/** showPreview explains the line being typed, before it is sent. */
function showPreview() {
  const v = store.view;
  if (!v || v.status !== "open" || (input.value === "" && !(v.state && v.state.mode === "content"))) {
    replace(preview);
    return;
  }
  const a = window.smtplay.check(input.value);
  if (a.error) {
    replace(preview, said(a.error));
    return;
  }
  const title = said(a.title);
  const explanation = said(a.explanation);
  replace(preview,
    title ? el("strong", { text: title }) : null,
    title && explanation ? " — " : "",
    explanation ? shorten(explanation) : "",
    a.warnings && a.warnings.length ? warningList(a.warnings) : null);
}

export function onEvent(ev) {
  const v = ev.view;
  const open = drawMode(v);
  input.disabled = send.disabled = !open;
  if (ev.type === "opened") requestAnimationFrame(() => input.focus()); // with the frame's layout, not one of its own
  drawHold(v.hold);
  if (!open) completion.close();
  else if (completion.isOpen()) completion.update();
  if (ev.type !== "queue") showPreview();
}

/** drawMode shows the input's mode, its title and placeholder; it returns whether the session is open. */
function drawMode(v) {
  const open = v.status === "open";
  const m = open && v.state ? v.state.mode : "closed";
  const known = m in modeLabels ? m : "command";
  const label = modeLabels[known];
  mode.textContent = typeof label === "function" ? label() : label;
  mode.dataset.mode = m;
  mode.title = t(`prompt.mode.${known}`);
  input.setAttribute("aria-label", t("prompt.labelIn", { mode: mode.title }));
  input.placeholder = open ? (m === "content" ? t("prompt.placeholder.content") : m === "auth-response" ? t("prompt.placeholder.auth") : "EHLO localhost") : t("prompt.connectFirst");
  input.type = m === "auth-response" ? "password" : "text";
  return open;
}

/** drawHold shows the held line with its warnings and the choices. */
function drawHold(h) {
  if (!h) {
    const hadFocus = hold.contains(document.activeElement);
    hold.hidden = true;
    shownHold = null;
    if (hadFocus) input.focus();
    return;
  }
  if (shownHold && JSON.stringify(shownHold) === JSON.stringify(h)) return;
  shownHold = h;
  $("hold-line").textContent = h.analysis.line;
  holdWords(h);
  $("hold-edit").hidden = h.behind > 0;
  $("hold-skip").hidden = $("hold-stop").hidden = h.behind === 0;
  hold.hidden = false;
  $(h.analysis.fix ? "hold-fix" : "hold-send").focus({ preventScroll: true });
  hold.scrollIntoView({ block: "nearest" }); // the whole box, its title too, not only the focused button
}

/**
 * holdWords says why the line is held, in the page's language, and offers
 * the engine's fix (the lines it would send instead, shown on hover).
 */
function holdWords(h) {
  const a = h.analysis;
  const expect = (a.warnings || []).find((w) => w.expect);
  const title = expect && expect.sure ? "hold.expect-sure" : "hold.expect";
  $("hold-title").textContent = a.needs_confirm ? t("hold.credentials") : expect ? t(title, { code: expect.expect }) : a.breaks ? t("hold.breaks") : t("hold.check");
  replace($("hold-warnings"), ...warningList(a.warnings || []).childNodes);
  $("hold-send").textContent = a.needs_confirm ? t("hold.sendClear") : t("hold.send");
  const fix = $("hold-fix");
  fix.hidden = !a.fix;
  fix.textContent = a.fix ? said(a.fix.label) : "";
  fix.title = a.fix ? a.fix.lines.map((l) => l || "⏎").join("\n") : "";
}
