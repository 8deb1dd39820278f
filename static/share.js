// Share links. The Share button makes a link to this page whose fragment
// carries the lines the person typed (script=), the transcript if asked
// (replay=) and the server (target=); the Go half builds them and leaves
// every credential out. A page opened from such a link shows the script in
// the lesson panel, ready to run after Connect, and the transcript as a
// read-only replay.
import { $, el, replace } from "./dom.js";
import { setting } from "./config.js";
import { targetByName } from "./store.js";
import { onChange, t } from "./lang.js";
import { showScript } from "./lessons.js";
import { copyText } from "./clip.js";
import * as replay from "./replay.js";

// A link's script is read as far as a replay would be (wasm/console).
const maxLines = 2000;
const maxBytes = 256 << 10;

const button = $("share");
const dialog = $("share-dialog");
const withReplay = $("share-replay");
const link = $("share-link");
let sent = false; // the live session has sent a line
let source = null; // whose link: window.smtplay (the live session) or a kept one (sessions.js)
let shared = null; // {lines, target, known, title}: the script this page was opened with

export function init() {
  button.addEventListener("click", () => openFor(window.smtplay));
  withReplay.addEventListener("change", draw);
  $("share-copy").addEventListener("click", () => copyText(link.value, $("share-copy")));
  $("share-close").addEventListener("click", () => dialog.close());
  onChange(() => {
    if (dialog.open) draw();
    // The lesson panel redraws the script in its old words: say it again, unless a lesson replaced it.
    if (shared && document.querySelector("#lesson-body .lesson-title")?.textContent === shared.title) showShared();
  });
}

export function onEvent(ev) {
  if (replay.replaying()) return;
  if (ev.type === "status" && ev.view.status === "connecting") sent = false;
  if (ev.type === "sent") sent = true;
  button.disabled = !sent;
}

/** openFor opens the dialog on a session: the live one, or one kept by sessions.js. */
export function openFor(src) {
  source = src;
  draw();
  dialog.showModal();
  link.focus();
  link.select();
}

/** draw makes the link, with the transcript if asked, and says what was left out. */
function draw() {
  const d = source.shareData({ replay: withReplay.checked });
  const params = new URLSearchParams();
  params.set("script", d.script.join("\n"));
  if (d.replay) params.set("replay", d.replay.join("\n"));
  if (d.target) params.set("target", d.target);
  link.value = `${location.origin}${location.pathname}#${params}`;
  replace($("share-note"),
    d.dropped ? t("share.dropped", { n: d.dropped }) : t("share.noCredentials"),
    " ", t("share.private"),
    withReplay.checked && d.too_long ? el("strong", { class: "tool-warning", text: ` ${t("share.tooLong")}` }) : null);
}

/**
 * open shows what the page's address shares, if anything: the server
 * preselected, the script in the lesson panel, the transcript replayed.
 */
export function open() {
  const script = setting("script");
  const text = setting("replay");
  if (script === null && text === null) return;
  const target = setting("target") || "";
  const known = targetByName(target);
  const select = $("target");
  if (known && select.value !== known.name) {
    select.value = known.name;
    select.dispatchEvent(new Event("change"));
  }
  if (script !== null) {
    const tooLong = script.length > maxBytes || script.split("\n").length > maxLines;
    shared = { lines: tooLong || script === "" ? [] : script.split(/\r\n|\r|\n/), target, known: Boolean(known), tooLong };
    showShared();
  }
  if (text !== null) {
    replay.show(text, {
      target, sandbox: Boolean(known && known.demo),
      onRun: () => {
        if (shared) showShared();
        $("connect").focus();
      },
    });
  }
}

/** showShared puts the shared script in the lesson panel. */
function showShared() {
  const s = shared;
  s.title = t("share.scriptTitle");
  const note = [s.tooLong ? t("share.scriptTooLong") : t("share.scriptNote")];
  if (s.target && !s.known) note.push(t("share.scriptTarget", { target: s.target }));
  showScript({ title: s.title, note: note.join(" "), lines: s.lines });
}
