// The wire view: what crossed the network between the proxy and the
// server, as an eavesdropper there would capture it. Before STARTTLS the
// exact bytes (line ends visible, AUTH's base64 decoded); from the TLS
// handshake on, only TLS records. A toggle sets it beside what was typed;
// the capture downloads as a .pcapng (with the key log for the sandbox).
// The bytes come from the proxy only when the view is on at connect time.
import { $, el, replace } from "./dom.js";
import { onChange, t } from "./lang.js";

const storageKey = "smtplay.wire";
let on = false;
let rows = []; // [{item, typed}] of this session
let typedAfterTLS = []; // lines sent after TLS came up, not yet matched to a record
let tlsUp = false;
let keyLog = false;
let truncated = false;

export function init() {
  const box = $("wire-on");
  try {
    on = localStorage.getItem(storageKey) === "on";
  } catch {
    on = false;
  }
  box.checked = on;
  box.addEventListener("change", () => {
    on = box.checked;
    try {
      localStorage.setItem(storageKey, on ? "on" : "off");
    } catch {
      // private mode: the choice lasts for this page only
    }
    if (window.smtplay) window.smtplay.setWire(on);
    draw();
  });
  for (const r of document.querySelectorAll("input[name=wire-show]")) r.addEventListener("change", draw);
  $("wire-pcap").addEventListener("click", downloadCapture);
  $("wire-keylog").addEventListener("click", downloadKeyLog);
  onChange(draw);
  draw();
}

/** requested says whether the next session asks for the wire. */
export const requested = () => on;

/** ready tells the Go half whether to ask for the wire. */
export function ready() {
  window.smtplay.setWire(on);
}

export function onEvent(ev) {
  switch (ev.type) {
    case "status":
      if (ev.view.status === "connecting") reset();
      return;
    case "tls":
      tlsUp = true;
      return;
    case "sent":
      if (tlsUp && ev.analysis) typedAfterTLS.push(ev.analysis.shown);
      return;
    case "wire": {
      const from = rows.length;
      for (const item of ev.wire.items) rows.push({ item, typed: typedFor(item) });
      keyLog = keyLog || ev.wire.keylog;
      truncated = truncated || ev.wire.truncated;
      draw(from);
    }
  }
}

function reset() {
  rows = [];
  typedAfterTLS = [];
  tlsUp = keyLog = truncated = false;
  draw();
}

/**
 * typedFor is what the person typed that a wire item carries, as far as the
 * page can tell: the proxy writes each frame in one TLS record, which comes
 * back in a wire message after the line was sent.
 */
function typedFor(item) {
  if (!item.record) return item.dir === "up" ? item.text.replace(/␍␊$/, "") : "";
  if (item.record.name !== "application_data" || item.dir !== "up") return "";
  // The lines sent since the last record: a frame of pipelined lines is one record.
  return typedAfterTLS.splice(0).join("  ·  ");
}

/** draw shows the view; with from, only the rows from that index on are new. */
function draw(from) {
  const body = $("wire-body");
  body.hidden = !on;
  $("wire-off-note").hidden = on;
  if (!on) return;
  const typed = document.querySelector("input[name=wire-show][value=typed]").checked;
  const list = $("wire-list");
  const show = typed ? "typed" : "network";
  const incremental = typeof from === "number" && list.dataset.show === show && list.children.length === from;
  list.dataset.show = show;
  const start = incremental ? from : 0;
  const fresh = rows.slice(start).map((r, i) => row(r, typed, sameRun(rows[start + i - 1], r)));
  if (incremental) list.append(...fresh);
  else replace(list, ...fresh);
  $("wire-empty").hidden = rows.length > 0;
  $("wire-truncated").hidden = !truncated;
  $("wire-pcap").disabled = rows.length === 0;
  $("wire-keylog").hidden = !keyLog;
  list.scrollTop = list.scrollHeight;
}

/** sameRun: b is application data right after application data the same way, whose note said it all. */
function sameRun(a, b) {
  const data = (r) => r && r.item.record && r.item.record.name === "application_data";
  return data(a) && data(b) && a.item.dir === b.item.dir;
}

function row({ item, typed }, showTyped, quiet) {
  const dir = el("span", { class: "dir", text: item.dir === "up" ? "C→S" : "S→C", attrs: { title: t(item.dir === "up" ? "wire.up" : "wire.down") } });
  const li = el("li", { class: `wire-row ${item.dir}${item.record ? " tls" : ""}` }, dir);
  if (showTyped) {
    li.append(el("span", { class: "text", text: typedText(item, typed) }));
    return li;
  }
  if (item.record) {
    const r = item.record;
    li.append(el("span", { class: "text" },
      el("strong", { text: r.name }), ` · ${r.version} · `, t("wire.length", { n: r.length }), " · ",
      el("code", { text: r.head.replace(/(..)/g, "$1 ").trim() + (r.length > r.head.length / 2 ? " …" : "") })));
    if (r.name === "application_data" && !quiet) li.append(el("span", { class: "wire-inside", text: t(item.dir === "up" ? "wire.inside" : "wire.insideReply") }));
    return li;
  }
  li.append(el("span", { class: "text" }, visible(item.text)));
  if (item.decoded) {
    const [before, after] = t("wire.decoded", { text: "\u0000" }).split("\u0000");
    li.append(el("span", { class: "wire-decoded" }, before, visible(item.decoded), after));
  }
  return li;
}

// The bytes no one sees, as the Go half marks them, and the badges that show them.
const controls = { "␍": "CR", "␊": "LF", "␀": "NUL", "␉": "TAB" };

/** visible turns the marks of CR, LF, NUL and TAB into small badges a font cannot miss. */
function visible(text) {
  return text.split(/([␍␊␀␉])/).map((part) => (controls[part] ? el("span", { class: "ctl", text: controls[part], attrs: { title: part } }) : part));
}

/** typedText is the typed view of an item: the line as typed, or what it carries. */
function typedText(item, typed) {
  if (!item.record) return item.dir === "up" ? typed : item.text.replace(/␍␊$/, "");
  if (typed) return t("wire.typedInside", { line: typed });
  return item.record.name === "handshake" ? t("wire.typedHandshake") : t("wire.typedNothing");
}

function downloadCapture() {
  const data = window.smtplay.capture();
  if (!data) return;
  save(new Blob([data], { type: "application/vnd.tcpdump.pcap" }), "smtplay-session.pcapng");
}

function downloadKeyLog() {
  const text = window.smtplay.keyLog();
  if (text) save(new Blob([text], { type: "text/plain" }), "smtplay-session.keys");
}

function save(blob, name) {
  const a = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}
