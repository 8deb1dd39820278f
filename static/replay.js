// A shared transcript, replayed read-only. The Go half plays its "C: " and
// "S: " lines through a fresh engine, offline (smtplay.replay), and the
// page draws the events that come back as it draws a live session's, so
// every line explains itself the same way. Their views say the session is
// over: the input line stays disabled. A banner says it is a replay; "Run
// it yourself" leaves it.
import { $, el, icon } from "./dom.js";
import { onChange, said, t } from "./lang.js";

let shown = null; // {error, onRun} of the replay shown, or null
let feeding = false; // replayed events are being drawn
let banner = null;

/** replaying is true while the transcript shows a replay. */
export const replaying = () => Boolean(shown && !shown.error);

export function init() {
  onChange(draw);
}

/** onEvent ends the replay when a live session starts: its events replace it. */
export function onEvent() {
  if (shown && !feeding) end();
}

/**
 * show replays a shared transcript, or says in a sentence why it cannot.
 * target and sandbox describe its server; onRun is called when the person
 * leaves the replay to run the lines.
 */
export function show(text, { target, sandbox, onRun }) {
  const r = window.smtplay.replay(text, { target, sandbox });
  shown = { error: r.error, onRun };
  if (!r.error) {
    feeding = true;
    try {
      for (const ev of r.events) window.smtplay.onevent(ev);
    } finally {
      feeding = false;
    }
    // Copy and Download export the live session, and there is none yet.
    $("copy").disabled = $("download").disabled = true;
  }
  draw();
}

function draw() {
  if (!shown) return;
  const node = shown.error
    ? el("div", { class: "replay-banner broken", attrs: { role: "alert" } },
      icon("warn"),
      el("p", { text: t("replay.broken", { error: said(shown.error) }) }),
      el("button", { type: "button", class: "ghost", text: "×", attrs: { "aria-label": t("replay.dismiss") }, on: { click: end } }))
    : el("div", { class: "replay-banner", attrs: { role: "status" } },
      icon("book"),
      el("p", {}, el("strong", { text: t("replay.banner") }), " ", el("span", { class: "muted", text: t("replay.detail") })),
      el("button", { type: "button", class: "small primary", text: t("replay.run"), on: { click: run } }));
  if (banner) banner.replaceWith(node);
  else $("transcript").before(node);
  banner = node;
}

/** end takes the banner away. */
function end() {
  shown = null;
  banner?.remove();
  banner = null;
}

/** run leaves the replay: the page is as if freshly opened, ready to connect. */
function run() {
  const { onRun } = shown;
  end();
  $("transcript").replaceChildren();
  window.smtplay.onevent({ type: "status", view: window.smtplay.view() });
  onRun();
}
