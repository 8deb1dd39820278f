// The wait notice: a line the server has left unanswered for a while
// (view.waiting, the oldest line owed a reply) is named, with a live count
// of the seconds, a word on why, and two ways out: close the session or
// reconnect to the same target. Servers answer in milliseconds; one that
// never answers would otherwise leave the person behind reply_pending until
// the proxy's idle limit. The notice goes as soon as the reply comes.
//
// It is announced once, politely (#waiting-status); the count itself is not
// live, and the notice never takes the focus.
import { $, el, replace } from "./dom.js";
import { setting } from "./config.js";
import { onChange, t } from "./lang.js";
import { rich } from "./transcript.js";
import { reconnect } from "./connect.js";

/** patience is how long a line may wait, in seconds, before the notice: ?wait= or 15. */
const patience = (() => {
  const n = Number(setting("wait"));
  return Number.isFinite(n) && n > 0 ? n : 15;
})();

const box = $("waiting");
const announcer = $("waiting-status");
let waiting = null; // the view's waiting line, while one is owed a reply
let key = ""; // which line it is: the notice and its count start over for another
let timer = 0;
let announced = false;

export function init() {
  $("waiting-close").addEventListener("click", () => window.smtplay.close());
  $("waiting-reconnect").addEventListener("click", reconnect);
  onChange(() => {
    if (!box.hidden) draw();
  });
}

export function onEvent(ev) {
  const w = ev.view.status === "open" ? ev.view.waiting || null : null;
  const k = w ? `${w.seq}:${w.kind}:${w.since}` : "";
  if (k === key) {
    waiting = w;
    return;
  }
  hide();
  waiting = w;
  key = k;
  if (w) {
    timer = setInterval(tick, 1000);
    tick();
  }
}

/** seconds the line has waited. */
const seconds = () => Math.max(0, Math.floor((Date.now() - waiting.since) / 1000));

function tick() {
  if (!waiting) return;
  const n = seconds();
  if (n < patience) return;
  if (box.hidden) {
    box.hidden = false;
    draw();
    if (!announced) {
      announced = true;
      announcer.textContent = `${t(`waiting.${waiting.kind}`, { n, line: waiting.line || "" })} ${t("waiting.offer")}`;
    }
    return;
  }
  $("waiting-count").textContent = String(n);
}

/** headline says which line waits and for how long, the count a node of its own. */
function headline(n) {
  const count = el("span", { id: "waiting-count", text: String(n) });
  const w = waiting;
  // An AUTH answer is a secret: it is never shown, only what it answered.
  if (w.kind === "command") return rich("waiting.command", { n: count, line: el("code", { text: w.line }) });
  return rich(`waiting.${w.kind}`, { n: count });
}

function draw() {
  replace($("waiting-title"), ...headline(seconds()));
  replace($("waiting-why"), t("waiting.why"), " ", waiting.blocks ? `${t("waiting.blocked")} ` : "", t("waiting.offer"));
}

function hide() {
  clearInterval(timer);
  timer = 0;
  announced = false;
  announcer.textContent = "";
  if (box.hidden) return;
  // The focus on one of its buttons goes to where the person types, or to
  // Connect when there is no session to type in: decided once every module
  // has drawn the event.
  const focused = box.contains(document.activeElement);
  box.hidden = true;
  if (focused) {
    queueMicrotask(() => {
      const line = $("line");
      (line.disabled ? $("connect") : line).focus();
    });
  }
}
