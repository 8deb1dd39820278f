// The lesson panel: the built-in lessons (lessons/index.json), one lesson
// at a time as steps of prose. Each line of a command block has "insert"
// (into the input: Enter sends it) and "run" (send it now); a line the
// session has sent is marked, and running it again asks first. Each step's
// check, met by the console's events, marks it done and opens the next; a
// step that points to the inbox brings it into view. On a narrow screen
// the open step is repeated just above the input. Where lessons come from
// and the progress kept across reloads are lessonsource.js's.
import { $, el, replace } from "./dom.js";
import { store, targetByName } from "./store.js";
import { fill } from "./prompt.js";
import { met } from "./lessonfile.js";
import { loadLesson, progress, key, isRemote } from "./lessonsource.js";
import { onChange, t } from "./lang.js";
import { setting } from "./config.js";
import { showInbox } from "./inbox.js";

const panel = $("lesson-panel");
const body = $("lesson-body");
const toggle = $("lessons-toggle");
const announce = $("lesson-status");
const now = $("step-now");
const sent = new Set(); // the lines the live session has sent
let inserted = null; // the lesson line last put in the input: a secret line sent from there is masked in its event
let ids = [];
let active = null; // {ref, key, lesson, step}: step is the index of the open step, steps.length when all are done
let script = null; // {title, note, lines}: a prepared script shown instead of a lesson

export function init() {
  toggle.addEventListener("click", () => show(panel.hidden));
  $("lesson-close").addEventListener("click", () => show(false));
  onChange(() => (active ? openLesson(active.ref, active.step) : script ? showScript(script) : drawList()));
  new ResizeObserver(scrollToOpen).observe(body); // a turned phone keeps its place
}

/** ready loads the list of lessons; #lesson=id (or a course's address) opens one. */
export async function ready() {
  const resp = await fetch(new URL("lessons/index.json", import.meta.url));
  if (!resp.ok) return;
  ids = (await resp.json()).lessons;
  const wanted = setting("lesson");
  if (ids.includes(wanted) || isRemote(wanted)) await open(wanted);
}

/**
 * open shows a lesson: a built-in id, a course's address or {text}. It
 * resolves to null, or to the error that kept the lesson from opening.
 */
export function open(ref) {
  show(true);
  return openLesson(ref);
}

/** current returns the open lesson as {lesson, title, step, total}, or null. */
export function current() {
  return active && { lesson: active.key, title: active.lesson.title, step: active.step, total: active.lesson.steps.length };
}

const listeners = [];

/**
 * onProgress calls f({lesson, title, step, total, check}) each time a
 * step is done, check being the kind of the step's check ("reply",
 * "state", "delivered", …); step equals total when the lesson is complete.
 */
export function onProgress(f) {
  listeners.push(f);
}

function show(on) {
  panel.hidden = !on;
  toggle.setAttribute("aria-expanded", String(on));
  panel.parentElement.classList.toggle("with-lesson", on);
  if (on && !active && !script) drawList();
  drawNow();
}

async function drawList() {
  active = null;
  script = null;
  const items = await Promise.all(ids.map(async (id) => {
    try {
      const l = await loadLesson(id);
      return el("li", {}, el("button", { type: "button", class: "lesson-item", dataset: { lesson: id }, on: { click: () => openLesson(id) } },
        el("span", { class: "lesson-name", text: l.title }),
        progress.get(id).finished ? el("span", { class: "lesson-done", text: `✓ ${t("lessons.finished")}` }) : el("span", { class: "lesson-count", text: t("lessons.steps", { n: l.steps.length }) }),
        l.summary ? el("span", { class: "lesson-summary", text: l.summary }) : null));
    } catch (err) {
      return el("li", { class: "form-error", text: t("lessons.broken", { id, error: err.message }) });
    }
  }));
  if (active) return; // a lesson opened while the list was loading
  replace(body, el("ol", { class: "lesson-list" }, items));
  drawNow();
}

/** openLesson shows a lesson at a step, by default where the person left it. */
async function openLesson(ref, step) {
  let lesson;
  try {
    lesson = await loadLesson(ref);
  } catch (err) {
    active = null;
    script = null;
    drawNow();
    replace(body, back(), el("p", { class: "form-error", attrs: { role: "alert" }, text: t("lessons.broken", { id: typeof ref === "string" ? ref : "", error: err.message }) }));
    return err;
  }
  const k = key(ref, lesson);
  active = { ref, key: k, lesson, step: Math.min(step ?? progress.get(k).step, lesson.steps.length) };
  script = null;
  const select = $("target");
  const target = lesson.target && targetByName(lesson.target);
  if (target && select.value !== target.name && !(store.view && store.view.status === "open")) {
    select.value = target.name;
    select.dispatchEvent(new Event("change"));
  }
  draw();
  return null;
}

/**
 * showScript opens the panel on a prepared script, such as a share link's:
 * a title, a sentence about it, and its lines, each with its run button.
 * Credentials never come with a script, so an AUTH line becomes a pointer
 * to the AUTH helper, and "send all" stops there.
 */
export function showScript(s) {
  active = null;
  script = s;
  show(true);
  const parts = [];
  let run = [];
  for (const line of [...s.lines, null]) {
    const auth = line !== null && /^AUTH\s+(\S+)/i.exec(line);
    if (line !== null && !auth) {
      run.push(line);
      continue;
    }
    if (run.length) parts.push(runnable(run));
    run = [];
    if (auth) parts.push(el("p", { class: "script-auth" }, t("script.auth", { mechanism: auth[1].toUpperCase() }), " ",
      el("button", { type: "button", class: "small", text: t("script.openAuth"), on: { click: () => openAuthHelper(auth[1].toUpperCase()) } })));
  }
  replace(body, back(), el("h3", { class: "lesson-title", text: s.title }), s.note ? el("p", { text: s.note }) : null, parts);
  drawNow();
  setRunnable();
}

/** openAuthHelper opens the AUTH helper on a mechanism, ready for the user name. */
function openAuthHelper(mechanism) {
  const radio = document.querySelector(`#auth-form input[name=mech][value="${mechanism}"]`);
  if (radio && !radio.checked) {
    radio.checked = true;
    radio.dispatchEvent(new Event("change", { bubbles: true }));
  }
  $("auth-helper").open = true;
  $("auth-helper").scrollIntoView({ block: "nearest" });
  $("auth-user").focus();
}

function back() {
  return el("button", { type: "button", class: "small lesson-back", text: `← ${t("lessons.all")}`, on: { click: drawList } });
}

/** draw shows the active lesson: done steps folded, the open one in full, later ones by title. */
function draw() {
  const { lesson, step } = active;
  const steps = lesson.steps.map((s, i) => {
    const state = i < step ? "done" : i === step ? "current" : "locked";
    const mark = el("span", { class: "step-mark", attrs: { "aria-hidden": "true" }, text: i < step ? "✓" : String(i + 1) });
    const title = el("span", { class: "step-title", text: s.title });
    const label = el("span", { class: "visually-hidden", text: t(`lessons.step.${state}`) });
    if (state === "locked") return el("li", { class: "step locked", dataset: { state } }, el("div", { class: "step-head" }, mark, title, label));
    const details = el("details", { open: state === "current" },
      el("summary", { class: "step-head" }, mark, title, label),
      blocks(s.blocks));
    if (state === "current" && s.show === "inbox") details.append(inboxButton());
    if (state === "current") details.append(el("p", { class: "step-wait" }, el("span", { class: "spinner", attrs: { "aria-hidden": "true" } }), describe(s.check)));
    return el("li", { class: `step ${state}`, dataset: { state }, attrs: { "aria-current": state === "current" ? "step" : false } }, details);
  });
  const complete = step >= lesson.steps.length;
  const at = ids.indexOf(active.ref);
  const next = at >= 0 ? ids[at + 1] : undefined;
  replace(body,
    back(),
    el("h3", { class: "lesson-title", text: lesson.title }),
    el("p", { class: "lesson-progress" }, t("lessons.progress", { done: Math.min(step, lesson.steps.length), total: lesson.steps.length }),
      step > 0 ? el("button", { type: "button", class: "small lesson-restart", text: t("lessons.restart"), on: { click: restart } }) : null),
    blocks(lesson.intro),
    el("ol", { class: "steps" }, steps),
    complete ? el("div", { class: "lesson-complete" },
      el("p", { text: t("lessons.complete") }),
      next ? el("button", { type: "button", class: "small primary", text: t("lessons.nextLesson"), on: { click: () => openLesson(next) } }) : null) : null);
  drawNow();
  setRunnable();
  scrollToOpen();
}

/**
 * drawNow repeats the open step just above the input, where a narrow
 * screen (style.css) shows it: its number and title, its lines with their
 * buttons, and what it waits for. The lesson panel is far above there.
 */
function drawNow() {
  const s = active && !panel.hidden && active.lesson.steps[active.step];
  now.hidden = !s;
  if (!s) return replace(now);
  replace(now,
    el("p", { class: "step-now-head" },
      el("span", { class: "step-now-count", text: t("lessons.nowCount", { n: active.step + 1, total: active.lesson.steps.length }) }), " ",
      el("strong", { text: s.title })),
    el("div", { class: "step-now-lines" }, s.blocks.filter((b) => b.type === "code" && b.lang === "smtp").map((b) => runnable(b.lines))),
    s.show === "inbox" ? inboxButton() : null,
    el("p", { class: "step-wait" }, describe(s.check)));
}

/** inboxButton brings the inbox into view, for a step that points to it. */
function inboxButton() {
  return el("button", { type: "button", class: "small show-inbox", text: t("lessons.showInbox"), on: { click: () => showInbox() } });
}

/** scrollToOpen scrolls the panel alone (not the page) to the open step. */
function scrollToOpen() {
  if (active && active.step === 0) {
    body.scrollTop = 0; // the introduction first
    return;
  }
  const open = body.querySelector(".step.current, .lesson-complete");
  if (open) body.scrollTop += open.getBoundingClientRect().top - body.getBoundingClientRect().top - 8;
}

/** advance marks the open step done, opens the next and remembers it. */
function advance() {
  active.step++;
  const total = active.lesson.steps.length;
  progress.set(active.key, active.step, total);
  announce.textContent = active.step >= total ? t("lessons.complete") : t("lessons.stepDone", { n: active.step, total });
  draw();
  if (active.lesson.steps[active.step]?.show === "inbox") showInbox({ focus: false });
  const done = { lesson: active.key, title: active.lesson.title, step: active.step, total, check: active.lesson.steps[active.step - 1].check.kind };
  for (const f of listeners) f(done);
}

/** restart sends the open lesson back to its first step. */
function restart() {
  progress.restart(active.key);
  active.step = 0;
  draw();
}

function describe(check) {
  switch (check.kind) {
    case "reply": return check.to ? t("check.replyTo", { code: check.code, to: check.to }) : t("check.reply", { code: check.code });
    case "prompt": return t("check.prompt", { text: check.text });
    case "state": return t("check.state", { phase: t(`phase.${check.phase}`) });
    case "capability": return t("check.capability", { keyword: check.keyword });
    case "delivered": return check.subject === null ? t("check.delivered") : t("check.deliveredSubject", { subject: check.subject });
  }
}

function blocks(list) {
  return list.map((b) => {
    switch (b.type) {
      case "p": return el("p", {}, inline(b.text));
      case "ul": return el("ul", {}, b.items.map((it) => el("li", {}, inline(it))));
      case "code": return b.lang === "smtp" ? runnable(b.lines) : el("pre", { class: "lesson-code" }, el("code", { text: b.lines.join("\n") }));
    }
  });
}

/** runnable draws an smtp block: each line with its buttons, and "send all" for several. */
function runnable(lines) {
  const box = el("div", { class: "run-block" }, lines.map(runLine));
  if (lines.length > 1) {
    box.append(el("button", { type: "button", class: "small run run-all", text: t("lessons.runAll"), on: { click: () => window.smtplay.paste(lines) } }));
  }
  markSent(box);
  return box;
}

/**
 * runLine draws one line of a block: the line, "insert" (into the input
 * line, to read or edit before Enter) and "run" (send it now). markSent
 * marks it once the session has sent it.
 */
function runLine(line) {
  const row = el("div", { class: "run-line", dataset: { line } },
    line === "" ? el("code", { class: "empty-line", text: t("lessons.emptyLine") }) : el("code", { text: line }),
    el("span", { class: "sent-mark", attrs: { "aria-hidden": "true" }, text: "✓" }),
    el("span", { class: "visually-hidden sent-note" }),
    el("span", { class: "run-actions" }));
  actions(row);
  return row;
}

/** actions puts a line's two buttons in its row, labelled for a line sent or not. */
function actions(row) {
  const line = row.dataset.line;
  const words = line === "" ? t("lessons.emptyLine") : line;
  const again = sent.has(line);
  const open = Boolean(store.view && store.view.status === "open");
  replace(row.querySelector(".run-actions"),
    el("button", {
      type: "button", class: "small run insert", text: t("lessons.insert"), disabled: !open,
      attrs: { "aria-label": t("lessons.insertLabel", { line: words }) },
      on: { click: () => { inserted = line; fill(line); } },
    }),
    el("button", {
      type: "button", class: "small run run-send", text: t("lessons.run"), disabled: !open,
      attrs: { "aria-label": t(again ? "lessons.runAgainLabel" : "lessons.runLabel", { line: words }) },
      on: { click: () => (sent.has(line) ? confirmAgain(row) : window.smtplay.submit(line)) },
    }));
}

/**
 * confirmAgain asks before a line the session has sent goes again (a
 * second MAIL FROM, a second message): the row's buttons give way to the
 * question, "Send again" and "Cancel".
 */
function confirmAgain(row) {
  const line = row.dataset.line;
  const done = (send) => {
    actions(row);
    row.querySelector(".run-send").focus();
    if (send) window.smtplay.submit(line);
  };
  const question = t("lessons.again", { line: line === "" ? t("lessons.emptyLine") : line });
  replace(row.querySelector(".run-actions"),
    el("span", { class: "run-again", attrs: { role: "group", "aria-label": question }, on: { keydown: (e) => e.key === "Escape" && done(false) } },
      el("span", { class: "run-question", text: t("lessons.againShort") }),
      el("button", { type: "button", class: "small primary run-again-yes", text: t("lessons.againYes"), on: { click: () => done(true) } }),
      el("button", { type: "button", class: "small run-again-no", text: t("lessons.againNo"), on: { click: () => done(false) } })));
  announce.textContent = question;
  row.querySelector(".run-again-yes").focus();
}

/** markSent marks the lines under root that the live session has sent, for the eye and for a screen reader. */
function markSent(root) {
  for (const row of root.querySelectorAll(".run-line")) {
    const was = row.classList.contains("sent");
    const is = sent.has(row.dataset.line);
    if (was === is) continue;
    row.classList.toggle("sent", is);
    row.querySelector(".sent-note").textContent = is ? t("lessons.sentNote") : "";
    // Named again in place: a button being pressed keeps the focus.
    const words = row.dataset.line === "" ? t("lessons.emptyLine") : row.dataset.line;
    row.querySelector(".run-send")?.setAttribute("aria-label", t(is ? "lessons.runAgainLabel" : "lessons.runLabel", { line: words }));
  }
}

// inline marks up `code`, **bold**, *emphasis*, [links](https://…) and
// RFC citations: "RFC 5321 §4.1.1.1" links to the section, and a bare
// "§3.3" after it to a section of the same RFC.
const inlinePattern = /`([^`]+)`|\*\*([^*]+)\*\*|\*([^*]+)\*|\[([^\]]+)\]\((https:\/\/[^)\s]+)\)|RFC (\d{3,4})(?: §(\d+(?:\.\d+)*))?|§(\d+(?:\.\d+)*)/g;

function inline(text) {
  const out = [];
  let at = 0;
  let rfc = "";
  for (const m of text.matchAll(inlinePattern)) {
    if (m[8] !== undefined && !rfc) continue; // a section of no RFC named yet
    out.push(text.slice(at, m.index));
    at = m.index + m[0].length;
    if (m[1] !== undefined) out.push(el("code", { text: m[1] }));
    else if (m[2] !== undefined) out.push(el("strong", { text: m[2] }));
    else if (m[3] !== undefined) out.push(el("em", { text: m[3] }));
    else if (m[4] !== undefined) out.push(link(m[5], m[4]));
    else {
      rfc = m[6] || rfc;
      const section = m[7] || m[8];
      out.push(link(`https://www.rfc-editor.org/rfc/rfc${rfc}${section ? `#section-${section}` : ""}`, m[0]));
    }
  }
  out.push(text.slice(at));
  return out;
}

const link = (href, text) => el("a", { href, text, attrs: { target: "_blank", rel: "noopener noreferrer" } });

/** setRunnable enables the run buttons while a session is open. */
function setRunnable() {
  const open = Boolean(store.view && store.view.status === "open");
  for (const root of [body, now]) for (const b of root.querySelectorAll("button.run, .run-again button")) b.disabled = !open;
}

/** noteSent remembers the lines the live session sends (forgotten when a new one connects), and marks them. */
function noteSent(ev) {
  if (ev.type === "status" && ev.view.status === "connecting") sent.clear();
  else if (ev.type === "sent" && ev.analysis) sent.add(ev.analysis.secret && inserted !== null ? inserted : ev.analysis.line);
  else return;
  if (ev.type === "sent") inserted = null;
  markSent(body);
  markSent(now);
}

export function onEvent(ev) {
  noteSent(ev);
  setRunnable();
  if (!active || active.step >= active.lesson.steps.length) return;
  if (met(active.lesson.steps[active.step].check, ev)) advance();
}
