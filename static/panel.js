// The side panel: the state diagram with the current state lit, the facts
// of the session, next-step buttons, the server's capabilities and the TLS
// card.
import { $, el, replace } from "./dom.js";
import { fill } from "./prompt.js";
import { store } from "./store.js";
import { onChange, said, t } from "./lang.js";

const nodes = [...document.querySelectorAll("#diagram [data-phase]")];
const drawn = { next: "", caps: "", tls: "" };

export function init() {
  // The labels of the diagram come in English, and lang.js sets them
  // (data-i18n) in another language: a label too long for its box is then
  // broken in two. The page's own English ones are measured before the
  // first frame is drawn, which lays the page out anyway.
  const labels = document.querySelector("#diagram .nodes");
  requestAnimationFrame(() => fitLabels(labels));
  const watch = new MutationObserver(() => {
    watch.disconnect();
    fitLabels(labels);
    watch.observe(labels, { childList: true, characterData: true, subtree: true });
  });
  watch.observe(labels, { childList: true, characterData: true, subtree: true });
  onChange(() => {
    if (!store.view) return;
    drawn.next = drawn.caps = drawn.tls = "";
    onEvent({ view: store.view });
  });
}

/** fitLabels breaks each node's label that overflows its box into two smaller lines. */
function fitLabels(root) {
  const ns = "http://www.w3.org/2000/svg";
  for (const label of root.querySelectorAll("text")) {
    if (label.querySelector("tspan")) continue;
    label.classList.remove("two-lines");
    const box = label.previousElementSibling;
    const room = Number(box.getAttribute("width")) - 6;
    const words = label.textContent.split(" ");
    // A diagram not drawn (hidden) measures 0: its letters are counted instead.
    const width = label.getComputedTextLength() || label.textContent.length * 5.6;
    if (words.length < 2 || width <= room) continue;
    // The split nearest the middle.
    let best = 1;
    for (let i = 1; i < words.length; i++) {
      const diff = (w) => Math.abs(words.slice(0, w).join(" ").length - words.slice(w).join(" ").length);
      if (diff(i) < diff(best)) best = i;
    }
    const top = Number(box.getAttribute("y"));
    const x = label.getAttribute("x");
    label.classList.add("two-lines");
    label.replaceChildren(...[words.slice(0, best), words.slice(best)].map((w, i) => {
      const line = document.createElementNS(ns, "tspan");
      line.setAttribute("x", x);
      line.setAttribute("y", String(top + (i ? 19 : 10)));
      line.textContent = w.join(" ");
      return line;
    }));
  }
}

/** early says the session is being connected to before the Go half runs (connect.js). */
export function early() {
  $("state-text").textContent = t("state.connecting");
}

export function onEvent(ev) {
  const v = ev.view;
  const st = v.status === "open" || v.status === "closed" ? v.state : null;
  const phase = st ? (st.phase === "bdat" ? "data" : st.phase) : v.status === "closed" ? "closed" : "";
  for (const n of nodes) n.classList.toggle("current", n.dataset.phase === phase);
  $("state-text").textContent = st ? said(st.explanation) : v.status === "connecting" ? t("state.connecting") : v.status === "closed" ? t("state.closed") : t("state.idle");
  drawFacts(st);
  drawNext(v.status === "open" ? v.suggestions || [] : []);
  drawCaps(v.capabilities || [], st);
  drawTLS(v.tls);
}

function drawFacts(st) {
  const facts = $("facts");
  if (!st) return replace(facts);
  const rows = [
    ["TLS", st.tls ? t("facts.on") : t("facts.off")],
    [t("facts.loggedIn"), st.authenticated ? t("facts.yes") : t("facts.no")],
  ];
  if (st.mail_from !== undefined && st.mail_from !== "") rows.push(["MAIL FROM", `<${st.mail_from}>`]);
  if (st.recipients && st.recipients.length) rows.push(["RCPT TO", st.recipients.map((r) => `<${r}>`).join(" ")]);
  if (st.refused && st.refused.length) rows.push([t("facts.refused"), st.refused.map((r) => `<${r}>`).join(" ")]);
  if (st.pending && st.pending.length) rows.push([t("facts.awaiting"), st.pending.join(", ")]);
  replace(facts, ...rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })]));
}

function drawNext(suggestions) {
  const key = JSON.stringify(suggestions);
  if (key === drawn.next) return;
  drawn.next = key;
  const box = $("next");
  if (!suggestions.length) {
    return replace(box, el("p", { class: "muted", text: t("next.empty") }));
  }
  replace(box, ...suggestions.map((s) => el("button", {
    type: "button",
    attrs: { title: s.template ? t("next.fills") : t("next.sends") },
    on: { click: () => (s.template ? fill(said(s.line), true) : window.smtplay.submit(s.line.en)) },
  }, el("code", { text: s.line.en === "" ? t("transcript.emptyLine") : said(s.line) }), el("span", { text: s.template ? t("next.edit", { why: said(s.why) }) : said(s.why) }))));
}

function drawCaps(caps, st) {
  const key = JSON.stringify(caps);
  if (key === drawn.caps) return;
  drawn.caps = key;
  const list = $("caps");
  if (!caps.length) {
    const why = st && st.tls && !st.extended ? t("caps.forgotten") : t("caps.empty");
    return replace(list, el("li", { class: "muted", text: why }));
  }
  replace(list, ...caps.map((c) => {
    const [title, rest] = words(c);
    return el("li", {}, el("details", {},
      el("summary", {},
        el("code", { text: c.keyword || c.line }),
        c.params ? el("span", { class: "params", text: ` ${c.params.join(" ")}` }) : null,
        title ? el("span", { class: "title", text: ` — ${title}` }) : null,
        c.vendor ? el("span", { class: "tag", text: t("caps.vendor") }) : null,
        c.legacy ? el("span", { class: "tag", text: t("caps.legacy") }) : null),
      el("p", { text: rest || said(c.explanation) })));
  }));
}

/**
 * words are a capability's title and explanation, parameters spelled out,
 * in the language's words where it has them (said), else the engine's
 * English.
 */
function words(c) {
  return split(c.keyword, said(c.explanation));
}

/**
 * split turns "SIZE: Message size declaration. The largest…" into its title
 * and the rest. Other languages say the keyword after the title:
 * "Deklaracja rozmiaru wiadomości (SIZE). Największa…".
 */
function split(keyword, text) {
  let s = text || "";
  if (keyword && s.startsWith(`${keyword}: `)) s = s.slice(keyword.length + 2);
  const i = s.indexOf(". ");
  let title = i > 0 ? s.slice(0, i) : "";
  if (keyword && title.endsWith(` (${keyword})`)) title = title.slice(0, -keyword.length - 3);
  if (!title || title.length > 60) return ["", s];
  return [title, s.slice(i + 2)];
}

function drawTLS(tls) {
  const key = JSON.stringify(tls || null);
  if (key === drawn.tls) return;
  drawn.tls = key;
  const card = $("tls-card");
  card.hidden = !tls;
  if (!tls) return;
  const warn = $("tls-warning");
  warn.hidden = !(tls.discarded > 0);
  warn.textContent = tls.discarded > 0 ? t("tls.discarded", { n: tls.discarded }) : "";
  const leaf = (tls.chain && tls.chain[0]) || null;
  const rows = [
    [t("tls.version"), tls.version],
    [t("tls.cipher"), tls.cipher],
    [t("tls.serverName"), tls.server_name],
    [t("tls.certificate"), tls.verified ? el("span", { class: "yes", text: t("tls.verified") }) : el("span", { class: "no", text: t("tls.notVerified", { reason: tls.verify_error || t("tls.noReason") }) })],
  ];
  if (leaf) {
    rows.push([t("tls.subject"), leaf.subject], [t("tls.issuer"), leaf.issuer],
      [t("tls.valid"), t("tls.validRange", { from: day(leaf.not_before), to: day(leaf.not_after) })],
      [t("tls.names"), (leaf.dns_names || []).join(", ") || t("tls.none")]);
    if (tls.chain.length > 1) rows.push([t("tls.chain"), t("tls.certificates", { n: tls.chain.length })]);
  }
  replace($("tls"), ...rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", {}, v)]));
}

const day = (s) => (s ? s.slice(0, 10) : "?");
