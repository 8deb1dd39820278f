// The sandbox inbox: delivered mail appears as it arrives; a message opens
// to its text, its HTML in a sandboxed frame (no scripts, no network), its
// headers, its MIME tree and its raw source.
import { $, el, replace } from "./dom.js";
import { store } from "./store.js";
import { lang, onChange, t } from "./lang.js";
import { noteAction } from "./transcript.js";
import { frameSource } from "./offline.js";

const list = $("inbox");
const dialog = $("message");
const panel = $("msg-panel");
const tabs = [...dialog.querySelectorAll("[role=tab]")];
let current = null; // {id, msg, raw, tab}
let fresh = new Set();
let listed = null; // the messages listed, or a key of the words shown instead
let unseen = 0; // messages delivered since the inbox was last brought into view

export function init() {
  $("inbox-toggle").addEventListener("click", () => showInbox());
  $("msg-close").addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", (e) => {
    if (e.target === dialog) dialog.close();
  });
  // The list is redrawn while a message is open: closed, the focus goes back to its button.
  dialog.addEventListener("close", () => {
    if (current && !list.contains(document.activeElement)) focusMessage(current.id);
  });
  for (const t of tabs) t.addEventListener("click", () => show(t.dataset.tab));
  dialog.querySelector(".tabs").addEventListener("keydown", (e) => {
    const i = tabs.indexOf(document.activeElement);
    if (i < 0 || (e.key !== "ArrowRight" && e.key !== "ArrowLeft")) return;
    const next = tabs[(i + (e.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
    next.focus();
    show(next.dataset.tab);
  });
  onChange(() => {
    $("inbox-status").textContent = ""; // an announcement of the old language's, already made
    drawBadge();
    if (Array.isArray(listed)) drawList(listed);
    else if (listed) drawWords(listed);
    if (current && dialog.open) {
      drawHead();
      show(current.tab);
    }
  });
}

/** drawWords puts a sentence in the list instead of messages. */
function drawWords(key) {
  listed = key;
  replace(list, el("li", { class: "muted", text: t(key) }));
}

// sharedPoll is how often a mailbox named in the URL is looked at again:
// mail from real clients arrives without a delivered event.
const sharedPoll = 3000;

let polling = 0; // the interval that keeps the list fresh, once started

/** showShared lists a mailbox named in the page's URL, and keeps it fresh. */
export function showShared() {
  if (!store.mailbox) return;
  refresh();
  watch();
}

/**
 * watch looks at the mailbox every sharedPoll from now on: mail that the
 * exported code sends through the sandbox's TCP listener arrives without a
 * delivered event.
 */
export function watch() {
  if (!polling) polling = setInterval(refresh, sharedPoll);
}

export function onEvent(ev) {
  if (ev.type === "opened") {
    if (ev.opened.mailbox) refresh();
    else drawWords("inbox.notSandbox");
  }
  if (ev.type === "delivered") {
    fresh.add(ev.delivered.id);
    refresh();
    signal(ev.delivered);
  }
}

/**
 * signal says that a message arrived: a count on the top bar's Inbox
 * button, a polite announcement, and a line in the transcript, after the
 * 250 that took it, with a button that shows it.
 */
function signal(m) {
  unseen++;
  drawBadge();
  const subject = m.subject || t("inbox.noSubject");
  $("inbox-status").textContent = t("inbox.arrived", { subject });
  noteAction(() => t("inbox.arrived", { subject }),
    el("button", { type: "button", class: "small", text: t("inbox.show"), dataset: { i18n: "inbox.show" }, on: { click: () => showInbox() } }));
}

/** drawBadge shows how many messages arrived unseen on the Inbox button. */
function drawBadge() {
  const badge = $("inbox-badge");
  badge.hidden = unseen === 0;
  badge.textContent = String(unseen);
  const button = $("inbox-toggle");
  if (unseen) button.setAttribute("aria-label", t("inbox.toggleNew", { n: unseen }));
  else button.removeAttribute("aria-label");
}

/**
 * showInbox brings the inbox into view: the side panel (or, on a phone,
 * the page) scrolls to it and it is outlined for a moment. With focus, the
 * newest message's button takes the focus (Enter opens it), or the inbox's
 * heading when it lists none; without, the focus stays where it is (a
 * lesson step that points to the inbox).
 */
export function showInbox({ focus = true } = {}) {
  const card = $("inbox-card");
  unseen = 0;
  drawBadge();
  if (focus) {
    card.scrollIntoView({ block: "nearest" });
    (list.querySelector("button.fresh") || list.querySelector("button") || $("inbox-title")).focus({ preventScroll: true });
  } else {
    // Only the side panel scrolls, where it scrolls on its own: the page
    // (and the input line) stays put.
    const side = card.closest(".side");
    const below = card.getBoundingClientRect().bottom - side.getBoundingClientRect().bottom;
    if (below > 0 && getComputedStyle(side).overflowY !== "visible") side.scrollTop += below + 4;
  }
  card.classList.remove("flash");
  void card.offsetWidth; // restarts the outline's fade
  card.classList.add("flash");
}

/**
 * refresh lists the mailbox again. When the playground cannot be reached
 * (the network dropped, the page is leaving) the list stays as it was: the
 * next delivery or poll tries again.
 */
async function refresh() {
  if (!store.mailbox) return;
  try {
    const resp = await fetch(`api/sandbox/${encodeURIComponent(store.mailbox)}/messages`);
    if (!resp.ok) return;
    const { messages } = await resp.json();
    drawList(messages);
  } catch {
    // kept as it was; see above
  }
}

function drawList(messages) {
  if (!messages.length) return drawWords("inbox.none");
  listed = messages;
  const focused = list.contains(document.activeElement) ? document.activeElement.dataset.id : null;
  replace(list, ...messages.map((m) => el("li", {}, el("button", {
    type: "button",
    class: fresh.has(m.id) ? "fresh" : "",
    dataset: { id: m.id },
    on: { click: () => open(m.id) },
  },
  el("span", { class: "subject", text: m.subject || t("inbox.noSubject") }),
  el("span", { class: "size", text: size(m.size) }),
  el("span", { class: "who", text: `${m.from || "<>"} → ${m.to.join(", ")}` })))));
  if (focused) focusMessage(focused);
}

/** focusMessage puts the focus on a message's button in the list. */
function focusMessage(id) {
  [...list.querySelectorAll("button")].find((b) => b.dataset.id === id)?.focus();
}

async function open(id) {
  fresh.delete(id);
  const base = `api/sandbox/${encodeURIComponent(store.mailbox)}/messages/${encodeURIComponent(id)}`;
  const resp = await fetch(base).catch(() => null);
  if (!resp?.ok) return; // gone (expired) or unreachable: the list's next refresh says which
  current = { id, base, msg: await resp.json(), raw: null };
  drawHead();
  if (!dialog.open) dialog.showModal();
  show(current.msg.text || !current.msg.html ? "text" : "html");
  refresh();
}

/**
 * drawHead shows the open message's subject, its author (the From: line,
 * which need not be the envelope sender), envelope and date, and why its
 * header ended early when it did.
 */
function drawHead() {
  const m = current.msg;
  $("msg-subject").textContent = m.subject || t("inbox.noSubject");
  const author = (m.headers || []).find((h) => h.name.toLowerCase() === "from");
  $("msg-meta").textContent = [
    author ? t("inbox.author", { from: author.value }) : "",
    t("inbox.envelope", { from: m.from || "<>", to: m.to.join(", ") }),
    m.date ? t("inbox.date", { date: new Date(m.date).toLocaleString(lang()) }) : "",
  ].filter(Boolean).join(" · ");
  const note = noteWords(m.header_note);
  $("msg-note").hidden = !note;
  $("msg-note").textContent = note;
}

/**
 * noteWords says why header lines the person typed are body text (the
 * view's header_note), or "" when the header is whole.
 */
function noteWords(n) {
  if (!n) return "";
  const fields = n.fields.map((f) => `${f}:`).join(", ");
  switch (n.ends) {
    case "not-a-header":
      return n.fields.length ? t("inbox.headerNote.notHeader", { line: n.line, text: n.text, fields }) : t("inbox.headerNote.notHeaderFirst", { text: n.text });
    case "empty-line":
      return t("inbox.headerNote.emptyLine", { line: n.line, fields });
    default:
      return "";
  }
}

async function show(tab) {
  current.tab = tab;
  for (const b of tabs) b.setAttribute("aria-selected", String(b.dataset.tab === tab));
  panel.setAttribute("aria-label", t(`inbox.tab.${tab}`));
  const m = current.msg;
  switch (tab) {
    case "text":
      return replace(panel, m.text ? el("pre", { text: m.text }) : el("p", { class: "muted", text: t("inbox.noText") }));
    case "html":
      if (!m.html) return replace(panel, el("p", { class: "muted", text: t("inbox.noHTML") }));
      return replace(panel,
        el("p", { class: "muted small-text", text: t("inbox.sandboxed") }),
        frameSource(el("iframe", { title: t("inbox.htmlTitle"), attrs: { sandbox: "", referrerpolicy: "no-referrer" } }), `${current.base}/html`));
    case "headers":
      return replace(panel, el("dl", { class: "kv" }, m.headers.flatMap((h) => [el("dt", { text: h.name }), el("dd", { text: h.value })])));
    case "mime":
      return replace(panel, el("ul", { class: "mime-tree" }, mimeNode(m.mime)),
        m.attachments.length ? el("p", { class: "muted", text: t("inbox.attachments", { list: m.attachments.map((a) => `${a.filename || t("inbox.unnamed")} (${a.content_type}, ${size(a.size)})`).join("; ") }) }) : null);
    case "raw": {
      const shown = current;
      if (shown.raw === null) {
        replace(panel, el("p", { class: "muted", text: t("inbox.loading") }));
        const resp = await fetch(`${shown.base}/raw`).catch(() => null);
        shown.raw = resp?.ok ? await resp.text() : { status: resp ? resp.status : t("inbox.offline") };
        if (shown !== current || shown.tab !== "raw") return; // another message or tab meanwhile
      }
      if (typeof shown.raw === "string") return replace(panel, el("pre", { text: shown.raw }));
      return replace(panel, el("p", { class: "muted", text: t("inbox.rawFailed", { status: shown.raw.status }) }));
    }
  }
}

function mimeNode(n) {
  return el("li", {}, el("code", { text: n.content_type }), " ", el("span", { class: "size", text: size(n.size) }),
    n.parts && n.parts.length ? el("ul", {}, n.parts.map(mimeNode)) : null);
}

function size(n) {
  const one = (x) => x.toLocaleString(lang(), { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return n < 1024 ? `${n} B` : n < 1048576 ? `${one(n / 1024)} KiB` : `${one(n / 1048576)} MiB`;
}
