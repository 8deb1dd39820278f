// The helpers: AUTH lines from a user name and password, a base64 box, and
// a composer that turns From, To, Subject and a body into the lines of DATA.
import { $, el, replace } from "./dom.js";
import { store, targetByName } from "./store.js";
import { onChange, said, t } from "./lang.js";

const mask = "********";
let authLines = [];
let composed = null;
let refused = null; // the composer's last {error}, redrawn in a new language
let decoded = null; // the base64 box's last decoding, redrawn in a new language
let queued = false; // the composed message went to the queue

export function init() {
  const form = $("auth-form");
  form.addEventListener("input", drawAuth);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (!authLines.length) return drawAuth();
    window.smtplay.paste(authLines.map((l) => l.text));
    $("line").focus();
  });
  $("auth-demo").addEventListener("click", () => {
    const t = demoTarget();
    if (!t) return;
    $("auth-user").value = t.demo.username;
    $("auth-pass").value = t.demo.password;
    drawAuth();
  });

  $("b64-encode").addEventListener("click", () => {
    decoded = null;
    $("b64-out").textContent = window.smtplay.base64Encode($("b64-in").value);
  });
  $("b64-decode").addEventListener("click", () => {
    decoded = window.smtplay.base64Decode($("b64-in").value);
    drawDecoded();
  });

  $("compose-form").addEventListener("submit", (e) => {
    e.preventDefault();
    review();
  });
  $("compose-form").addEventListener("input", () => {
    composed = null;
    queued = false;
    $("c-send").hidden = true;
  });
  $("c-send").addEventListener("click", () => {
    if (!review()) return;
    window.smtplay.paste([...composed.commands, ...composed.lines.map((l) => l.text)]);
    $("c-send").hidden = true;
    queued = true;
    $("c-note").textContent = t("compose.queued");
  });
  $("composer").addEventListener("toggle", prefill);
  onChange(() => {
    if ($("auth-user").value) drawAuth();
    if (decoded) drawDecoded();
    if (composed) drawPlan(composed);
    if (refused) drawRefused();
    if (queued) $("c-note").textContent = t("compose.queued");
  });
}

function drawDecoded() {
  const d = decoded;
  $("b64-out").textContent = d.error ? said(d.error) : d.printable ? d.text : t("base64.binary", { text: d.text, n: d.bytes });
}

function demoTarget() {
  const v = store.view;
  const t = v && v.target ? targetByName(v.target) : null;
  return t && t.demo ? t : null;
}

function mechanism() {
  return document.querySelector("input[name=mech]:checked").value;
}

function drawAuth() {
  const user = $("auth-user").value;
  const reveal = $("auth-reveal").checked;
  const out = $("auth-lines");
  $("auth-error").textContent = "";
  authLines = [];
  if (!user) return replace(out);
  const r = window.smtplay.authLines(mechanism(), user, $("auth-pass").value);
  if (r.error) {
    $("auth-error").textContent = said(r.error);
    return replace(out);
  }
  authLines = r.lines;
  replace(out, ...authLines.map((l, i) => el("li", {},
    el("span", { class: "part", text: l.after ? "334" : "AUTH" }),
    el("span", { class: "wire", text: l.secret && !reveal ? l.text.replace(/\S+$/, mask) : l.text }),
    el("span", { class: "why", text: [l.after ? t("auth.after", { line: l.after }) : "", l.decoded ? t("auth.base64of", { text: l.decoded }) : "", i === 0 ? said(l.explanation) : ""].filter(Boolean).join(" ") }))));
}

/** review plans the message for the session as it stands. */
function review() {
  const msg = { from: $("c-from").value, to: $("c-to").value, subject: $("c-subject").value, body: $("c-body").value };
  const plan = window.smtplay.compose(msg);
  const out = $("c-lines");
  $("c-error").textContent = "";
  refused = plan.error ? plan : null;
  if (refused) {
    composed = null;
    $("c-note").textContent = "";
    drawRefused();
    $("c-send").hidden = true;
    replace(out);
    return false;
  }
  composed = plan;
  queued = false;
  drawPlan(plan);
  $("c-send").hidden = false;
  return true;
}

/** drawRefused says why the composer has no lines, as a sentence. */
function drawRefused() {
  const error = said(refused.error);
  $("c-error").textContent = error.charAt(0).toUpperCase() + error.slice(1) + ".";
}

/** drawPlan lists the lines of a composed message, each with its part, and says why the body goes as it does. */
function drawPlan(plan) {
  $("c-note").textContent = said(plan.note);
  const part = (p) => {
    const s = t(`compose.part.${p}`);
    return s === `compose.part.${p}` ? p : s;
  };
  replace($("c-lines"),
    ...plan.commands.map((c) => el("li", {}, el("span", { class: "part", text: part("cmd") }), el("span", { class: "wire", text: c }))),
    ...plan.lines.map((l) => el("li", {},
      el("span", { class: "part", text: part(l.part) }),
      el("span", { class: "wire", text: l.part === "blank" ? t("transcript.emptyLine") : l.wire }),
      l.stuffed ? el("span", { class: "why", text: t("compose.stuffed") }) : null)));
}

/** prefill takes the envelope already given, when the composer opens. */
function prefill() {
  const st = store.view && store.view.state;
  if (!$("composer").open || !st) return;
  if (st.mail_from) $("c-from").value = st.mail_from;
  if (st.recipients && st.recipients.length) $("c-to").value = st.recipients.join(", ");
}

export function onEvent(ev) {
  $("auth-demo").hidden = !demoTarget();
  const open = ev.view.status === "open";
  $("auth-send").disabled = !open;
  $("c-send").disabled = !open;
}
