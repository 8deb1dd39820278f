// Sessions side by side: a new connection does not wipe the transcript of
// the session it replaces when that one sent anything. The old lines stay
// above, under a heading "Session 1 · sandbox", with their own Copy,
// Download, Export as code and Share; the new session starts below under
// "Session 2". The Go half keeps one session at a time, so what the old
// session's exports say is taken from it (freeze) just before the new
// connection replaces it.
import { el } from "./dom.js";
import { lang, onChange, t } from "./lang.js";
import { copyText, downloadText } from "./clip.js";
import { openFor as openCode, sandboxOptions } from "./exportcode.js";
import { openFor as openShare } from "./share.js";

let frozen = null; // the session just left, until begin puts it in the list
let live = { number: 1, target: "", started: new Date(), head: null };
const heads = new Map(); // a heading's element → its words, said again after a switch of language

export function init() {
  onChange(() => {
    for (const [h, words] of heads) {
      h.querySelector(".session-name").textContent = words();
      for (const b of h.querySelectorAll("[data-tool]")) b.setAttribute("aria-label", toolLabel(b.dataset.tool, h.dataset.session));
    }
  });
}

/**
 * freeze keeps the live session's exports, when it sent a line, before a
 * new connection replaces it (connect.js calls it just before connecting).
 */
export function freeze() {
  const api = window.smtplay;
  const shared = api && api.shareData ? api.shareData({ replay: false }) : null;
  frozen = shared && shared.script && shared.script.length ? { ...live, source: snapshot(api) } : null;
}

/**
 * snapshot answers the export and share calls of exportcode.js, share.js
 * and transcript.js as the live session answers them now, with secrets
 * shown or masked and the transcript in or out.
 */
function snapshot(api) {
  const text = {};
  const share = {};
  const code = {};
  const formats = [...document.querySelectorAll("#code-format option")].map((o) => o.value);
  for (const on of [false, true]) {
    text[on] = api.exportText({ reveal: on });
    share[on] = api.shareData({ replay: on });
    for (const f of formats) code[`${f} ${on}`] = api.exportCode(f, { reveal: on, ...sandboxOptions() });
  }
  return {
    exportText: (o = {}) => text[Boolean(o.reveal)],
    shareData: (o = {}) => share[Boolean(o.replay)],
    exportCode: (f, o = {}) => code[`${f} ${Boolean(o.reveal)}`] ?? api.exportCode(f, o),
  };
}

/**
 * begin starts the transcript of a new connection to target in list. When
 * the session it replaces was kept, that one gets its heading and its
 * exports and the new one a heading below it; otherwise the replaced
 * session's lines give way (the whole list, when no session was kept).
 */
export function begin(list, target) {
  const kept = frozen;
  frozen = null;
  if (!kept && !live.head) {
    list.replaceChildren();
    heads.clear();
    live = { number: 1, target, started: new Date(), head: null };
    return;
  }
  if (!kept) {
    // The live session sent nothing: its lines give way, the kept ones stay.
    while (live.head.nextSibling) live.head.nextSibling.remove();
    heads.delete(live.head);
    live.head.remove();
    live = { number: live.number, target, started: new Date(), head: null };
    live.head = heading(live);
    list.append(live.head);
    return;
  }
  if (!kept.head) {
    kept.head = heading(kept);
    list.prepend(kept.head);
  }
  tools(kept);
  live = { number: kept.number + 1, target, started: new Date(), head: null };
  live.head = heading(live);
  list.append(live.head);
}

/** heading is a session's heading in the transcript: its number, server and start. */
function heading(s) {
  const time = s.started.toLocaleTimeString(lang(), { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
  const words = () => t("sessions.heading", { n: s.number, target: s.target, time });
  const h = el("li", { class: "session-head", dataset: { session: s.number } },
    el("h3", { class: "session-name", text: words() }),
    el("span", { class: "session-tools" }));
  heads.set(h, words);
  return h;
}

/** tools gives a kept session's heading its own exports. */
function tools(s) {
  const src = s.source;
  const secrets = () => document.getElementById("export-secrets").checked;
  const button = (key, f, dialog) => el("button", {
    type: "button", class: "small", text: t(key),
    dataset: { i18n: key, tool: key },
    attrs: { "aria-label": toolLabel(key, s.number), "aria-haspopup": dialog ? "dialog" : false },
    on: { click: (e) => f(e.currentTarget) },
  });
  const file = `smtplay-session-${s.number}-${s.started.toISOString().slice(0, 19).replace(/[:T]/g, "-")}.txt`;
  s.head.querySelector(".session-tools").replaceChildren(
    el("span", { class: "session-ended", text: t("sessions.ended"), dataset: { i18n: "sessions.ended" } }),
    button("transcript.copy", (b) => copyText(src.exportText({ reveal: secrets() }), b)),
    button("transcript.download", () => downloadText(src.exportText({ reveal: secrets() }), file)),
    button("code.open", () => openCode(src), true),
    button("share.open", () => openShare(src), true));
}

/** toolLabel names a kept session's button for a screen reader: "Copy session 1". */
const toolLabel = (key, n) => t("sessions.toolLabel", { tool: t(key), n });
