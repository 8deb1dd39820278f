// Export as code: the session as a swaks command line, a PHP, Python or Go
// program, or openssl s_client steps (wasm/export), in a dialog with Copy
// and Download. Code for the sandbox goes to its TCP listener (the target's
// sandbox_smtp) and logs in with the public practice login, its user name
// carrying this tab's mailbox, so its mail lands in the inbox here. For a
// real server, without "include secrets" the code holds no credential: a
// placeholder user name, and the password read from the environment. That
// switch is this dialog's own: the transcript's Copy and Download have theirs.
// From the in-page sandbox (offline.js), which no program can reach, the
// code goes to a smtplay sandbox listener with the plain practice login,
// and says so in the dialog and in a comment at its top.
import { $, el, replace } from "./dom.js";
import { onChange, said, t } from "./lang.js";
import { copyText, downloadText } from "./clip.js";
import { replaying } from "./replay.js";
import { store } from "./store.js";
import { watch } from "./inbox.js";
import { state as offline } from "./offline.js";

const button = $("export-code");
const dialog = $("code-dialog");
const format = $("code-format");
const secrets = $("code-secrets");
const download = $("code-download");
const shared = $("code-shared");
let code = null; // {code, filename, note, credentials} shown, or null
let sent = false; // the live session has sent a line
let source = null; // whose code: window.smtplay (the live session) or a kept one (sessions.js)

export function init() {
  button.addEventListener("click", () => openFor(window.smtplay));
  format.addEventListener("change", draw);
  secrets.addEventListener("change", draw);
  $("code-copy").addEventListener("click", () => code && copyText(code.code, $("code-copy")));
  download.addEventListener("click", () => code && downloadText(code.code, code.filename));
  $("code-close").addEventListener("click", () => dialog.close());
  onChange(() => dialog.open && draw());
}

export function onEvent(ev) {
  if (replaying()) return;
  if (ev.type === "status" && ev.view.status === "connecting") sent = false;
  if (ev.type === "sent") sent = true;
  button.disabled = !sent;
}

/**
 * sandboxOptions is what every sandbox target shares, as exportCode takes
 * it: the practice login, the TCP listener (null when none serves), and
 * whether the sandbox runs in this page, with the comment its code then
 * starts with (in the page's language).
 */
export function sandboxOptions() {
  const s = store.targets.find((x) => x.demo);
  const inPage = offline.active ? { in_page: true, comment: t("code.inPageComment") } : {};
  return { demo: s ? s.demo : null, listener: s && s.sandbox_smtp ? s.sandbox_smtp : null, ...inPage };
}

/** openFor opens the dialog on a session: the live one, or one kept by sessions.js. */
export function openFor(src) {
  source = src;
  draw();
  dialog.showModal();
  format.focus();
}

/** draw asks the Go half for the code in the chosen format. */
function draw() {
  const sb = sandboxOptions();
  const r = source.exportCode(format.value, { reveal: secrets.checked, ...sb });
  code = r.error ? null : r;
  $("code-error").textContent = r.error ? t("code.error", { error: said(r.error) }) : "";
  $("code-text").textContent = code ? code.code : "";
  $("code-note").textContent = code ? said(code.note) || "" : "";
  $("code-note").classList.toggle("offline-note", Boolean(code && sb.in_page)); // where the code goes stands out
  $("code-credentials").textContent = code ? t(`code.credentials.${code.credentials}`) : "";
  drawShared(code && code.credentials === "practice" ? sb : null);
  if (code && code.credentials === "practice" && sb.listener) watch(); // its mail arrives from outside the page
  $("code-copy").disabled = download.disabled = !code;
  download.textContent = t("code.download", { file: code ? code.filename : "" }).trim();
}

/**
 * drawShared names the mailbox that the listener's plain practice login
 * (no "+") delivers into, when the proxy lists it (a loopback listener).
 */
function drawShared(sb) {
  const box = sb && sb.listener && sb.listener.shared_mailbox;
  shared.hidden = !box;
  if (!box) return replace(shared);
  const href = `${location.origin}${location.pathname}#mailbox=${encodeURIComponent(box)}`;
  replace(shared, t("code.sharedMailbox", { user: sb.demo.username, address: `${sb.listener.host}:${sb.listener.port}` }), " ",
    el("a", { href, text: t("code.sharedMailboxOpen"), attrs: { target: "_blank", rel: "noopener" } }));
}
