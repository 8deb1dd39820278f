// The sandbox inbox: delivered mail appears as it arrives; a message opens
// to its text, its HTML in a sandboxed frame (no scripts, no network), its
// headers, its MIME tree and its raw source.
import { $, el, replace } from "./dom.js";
import { store } from "./store.js";

const list = $("inbox");
const dialog = $("message");
const panel = $("msg-panel");
const tabs = [...dialog.querySelectorAll("[role=tab]")];
let current = null; // {id, msg, raw}
let fresh = new Set();

// The frame's own policy: nothing but inline styles and data: images. The
// page's policy applies to it as well (frame documents inherit it).
const frameCSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; form-action 'none'";

export function init() {
  $("msg-close").addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", (e) => {
    if (e.target === dialog) dialog.close();
  });
  for (const t of tabs) t.addEventListener("click", () => show(t.dataset.tab));
  dialog.querySelector(".tabs").addEventListener("keydown", (e) => {
    const i = tabs.indexOf(document.activeElement);
    if (i < 0 || (e.key !== "ArrowRight" && e.key !== "ArrowLeft")) return;
    const next = tabs[(i + (e.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
    next.focus();
    show(next.dataset.tab);
  });
}

// sharedPoll is how often a mailbox named in the URL is looked at again:
// mail from real clients arrives without a delivered event.
const sharedPoll = 3000;

/** showShared lists a mailbox named in the page's URL, and keeps it fresh. */
export function showShared() {
  if (!store.mailbox) return;
  refresh();
  setInterval(refresh, sharedPoll);
}

export function onEvent(ev) {
  if (ev.type === "opened") {
    if (ev.opened.mailbox) refresh();
    else replace(list, el("li", { class: "muted", text: "This server is not the sandbox: mail goes out to the real world, not here." }));
  }
  if (ev.type === "delivered") {
    fresh.add(ev.delivered.id);
    refresh();
  }
}

async function refresh() {
  if (!store.mailbox) return;
  const resp = await fetch(`api/sandbox/${encodeURIComponent(store.mailbox)}/messages`);
  if (!resp.ok) return;
  const { messages } = await resp.json();
  if (!messages.length) {
    return replace(list, el("li", { class: "muted", text: "No mail yet. Send one: MAIL FROM, RCPT TO, DATA — or use the composer." }));
  }
  replace(list, ...messages.map((m) => el("li", {}, el("button", {
    type: "button",
    class: fresh.has(m.id) ? "fresh" : "",
    dataset: { id: m.id },
    on: { click: () => open(m.id) },
  },
  el("span", { class: "subject", text: m.subject || "(no subject)" }),
  el("span", { class: "size", text: size(m.size) }),
  el("span", { class: "who", text: `${m.from || "<>"} → ${m.to.join(", ")}` })))));
}

async function open(id) {
  fresh.delete(id);
  const base = `api/sandbox/${encodeURIComponent(store.mailbox)}/messages/${encodeURIComponent(id)}`;
  const resp = await fetch(base);
  if (!resp.ok) return;
  current = { id, base, msg: await resp.json(), raw: null };
  $("msg-subject").textContent = current.msg.subject || "(no subject)";
  $("msg-meta").textContent = `Envelope: ${current.msg.from || "<>"} → ${current.msg.to.join(", ")}${current.msg.date ? ` · Date: ${new Date(current.msg.date).toLocaleString()}` : ""}`;
  if (!dialog.open) dialog.showModal();
  show(current.msg.text || !current.msg.html ? "text" : "html");
  refresh();
}

async function show(tab) {
  for (const t of tabs) t.setAttribute("aria-selected", String(t.dataset.tab === tab));
  panel.setAttribute("aria-label", tab);
  const m = current.msg;
  switch (tab) {
    case "text":
      return replace(panel, m.text ? el("pre", { text: m.text }) : el("p", { class: "muted", text: "This message has no text part." }));
    case "html":
      if (!m.html) return replace(panel, el("p", { class: "muted", text: "This message has no HTML part." }));
      return replace(panel,
        el("p", { class: "muted small-text", text: "Shown in a sandboxed frame: no scripts, no forms, nothing loaded from the network." }),
        el("iframe", { title: "The message's HTML part", attrs: { sandbox: "", referrerpolicy: "no-referrer" }, srcdoc: `<!doctype html><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${frameCSP}">${m.html}` }));
    case "headers":
      return replace(panel, el("dl", { class: "kv" }, m.headers.flatMap((h) => [el("dt", { text: h.name }), el("dd", { text: h.value })])));
    case "mime":
      return replace(panel, el("ul", { class: "mime-tree" }, mimeNode(m.mime)),
        m.attachments.length ? el("p", { class: "muted", text: `Attachments: ${m.attachments.map((a) => `${a.filename || "(unnamed)"} (${a.content_type}, ${size(a.size)})`).join("; ")}` }) : null);
    case "raw":
      if (current.raw === null) {
        replace(panel, el("p", { class: "muted", text: "Loading…" }));
        const resp = await fetch(`${current.base}/raw`);
        current.raw = resp.ok ? await resp.text() : `The raw message could not be loaded (${resp.status}).`;
      }
      return replace(panel, el("pre", { text: current.raw }));
  }
}

function mimeNode(n) {
  return el("li", {}, el("code", { text: n.content_type }), " ", el("span", { class: "size", text: size(n.size) }),
    n.parts && n.parts.length ? el("ul", {}, n.parts.map(mimeNode)) : null);
}

function size(n) {
  return n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(1)} MiB`;
}
