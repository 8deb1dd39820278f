// The side panel: the state diagram with the current state lit, the facts
// of the session, next-step buttons, the server's capabilities and the TLS
// card.
import { $, el, replace } from "./dom.js";
import { fill } from "./prompt.js";

const nodes = [...document.querySelectorAll("#diagram [data-phase]")];
const drawn = { next: "", caps: "", tls: "" };

export function init() {}

export function onEvent(ev) {
  const v = ev.view;
  const st = v.status === "open" || v.status === "closed" ? v.state : null;
  const phase = st ? (st.phase === "bdat" ? "data" : st.phase) : v.status === "closed" ? "closed" : "";
  for (const n of nodes) n.classList.toggle("current", n.dataset.phase === phase);
  $("state-text").textContent = st ? st.explanation : v.status === "connecting" ? "Connecting…" : v.status === "closed" ? "The connection is closed." : "Not connected.";
  drawFacts(st);
  drawNext(v.status === "open" ? v.suggestions || [] : []);
  drawCaps(v.capabilities || [], st);
  drawTLS(v.tls);
}

function drawFacts(st) {
  const facts = $("facts");
  if (!st) return replace(facts);
  const rows = [
    ["TLS", st.tls ? "on" : "off"],
    ["logged in", st.authenticated ? "yes" : "no"],
  ];
  if (st.mail_from !== undefined && st.mail_from !== "") rows.push(["MAIL FROM", `<${st.mail_from}>`]);
  if (st.recipients && st.recipients.length) rows.push(["RCPT TO", st.recipients.map((r) => `<${r}>`).join(" ")]);
  if (st.refused && st.refused.length) rows.push(["refused", st.refused.map((r) => `<${r}>`).join(" ")]);
  if (st.pending && st.pending.length) rows.push(["awaiting", st.pending.join(", ")]);
  replace(facts, ...rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })]));
}

function drawNext(suggestions) {
  const key = JSON.stringify(suggestions);
  if (key === drawn.next) return;
  drawn.next = key;
  const box = $("next");
  if (!suggestions.length) {
    return replace(box, el("p", { class: "muted", text: "Suggestions appear when the server is ready for your next line." }));
  }
  replace(box, ...suggestions.map((s) => el("button", {
    type: "button",
    attrs: { title: s.template ? "Fills the input: edit it, then press Enter" : "Sends this line" },
    on: { click: () => (s.template ? fill(s) : window.smtplay.submit(s.line)) },
  }, el("code", { text: s.line === "" ? "(empty line)" : s.line }), el("span", { text: s.template ? `${s.why} — edit, then Enter` : s.why }))));
}

function drawCaps(caps, st) {
  const key = JSON.stringify(caps);
  if (key === drawn.caps) return;
  drawn.caps = key;
  const list = $("caps");
  if (!caps.length) {
    const why = st && st.tls && !st.extended ? "TLS is up: the capabilities are forgotten until the next EHLO." : "The server lists its extensions in its reply to EHLO.";
    return replace(list, el("li", { class: "muted", text: why }));
  }
  replace(list, ...caps.map((c) => {
    const [title, rest] = split(c.keyword, c.explanation);
    return el("li", {}, el("details", {},
      el("summary", {},
        el("code", { text: c.keyword || c.line }),
        c.params ? el("span", { class: "params", text: ` ${c.params.join(" ")}` }) : null,
        title ? el("span", { class: "title", text: ` — ${title}` }) : null,
        c.vendor ? el("span", { class: "tag", text: "vendor" }) : null,
        c.legacy ? el("span", { class: "tag", text: "legacy" }) : null),
      el("p", { text: rest || c.explanation })));
  }));
}

/** split turns "SIZE: Message size declaration. The largest…" into its title and the rest. */
function split(keyword, text) {
  let t = text || "";
  if (keyword && t.startsWith(`${keyword}: `)) t = t.slice(keyword.length + 2);
  const i = t.indexOf(". ");
  if (i <= 0 || i > 60) return ["", t];
  return [t.slice(0, i), t.slice(i + 2)];
}

function drawTLS(t) {
  const key = JSON.stringify(t || null);
  if (key === drawn.tls) return;
  drawn.tls = key;
  const card = $("tls-card");
  card.hidden = !t;
  if (!t) return;
  const warn = $("tls-warning");
  warn.hidden = !(t.discarded > 0);
  warn.textContent = t.discarded > 0
    ? `${t.discarded} bytes arrived in plaintext right after the server's 220 to STARTTLS. The proxy dropped them: someone may have tried to inject commands into the encrypted session (RFC 3207 §4.2).`
    : "";
  const leaf = (t.chain && t.chain[0]) || null;
  const rows = [
    ["version", t.version],
    ["cipher", t.cipher],
    ["server name", t.server_name],
    ["certificate", t.verified ? el("span", { class: "yes", text: "verified" }) : el("span", { class: "no", text: `not verified: ${t.verify_error || "no reason given"}` })],
  ];
  if (leaf) {
    rows.push(["subject", leaf.subject], ["issuer", leaf.issuer],
      ["valid", `${day(leaf.not_before)} to ${day(leaf.not_after)}`],
      ["names", (leaf.dns_names || []).join(", ") || "none"]);
    if (t.chain.length > 1) rows.push(["chain", `${t.chain.length} certificates`]);
  }
  replace($("tls"), ...rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", {}, v)]));
}

const day = (s) => (s ? s.slice(0, 10) : "?");
