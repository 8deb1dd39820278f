// Export as code: the session as a swaks command line, a PHP, Python or Go
// program, or openssl s_client steps (wasm/export), in a dialog with Copy
// and Download. Without "include secrets" the code holds no credential: a
// placeholder user name, and the password read from the environment.
import { $ } from "./dom.js";
import { onChange, said, t } from "./lang.js";
import { copyText, downloadText } from "./clip.js";
import { replaying } from "./replay.js";

const button = $("export-code");
const dialog = $("code-dialog");
const format = $("code-format");
const secrets = $("code-secrets");
const download = $("code-download");
let code = null; // {code, filename, note, credentials} shown, or null
let sent = false; // the live session has sent a line
let source = null; // whose code: window.smtplay (the live session) or a kept one (sessions.js)

export function init() {
  button.addEventListener("click", () => openFor(window.smtplay));
  format.addEventListener("change", draw);
  secrets.addEventListener("change", () => {
    $("export-secrets").checked = secrets.checked; // one choice for every export
    draw();
  });
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

/** openFor opens the dialog on a session: the live one, or one kept by sessions.js. */
export function openFor(src) {
  source = src;
  secrets.checked = $("export-secrets").checked;
  draw();
  dialog.showModal();
  format.focus();
}

/** draw asks the Go half for the code in the chosen format. */
function draw() {
  const r = source.exportCode(format.value, { reveal: secrets.checked });
  code = r.error ? null : r;
  $("code-error").textContent = r.error ? t("code.error", { error: said(r.error) }) : "";
  $("code-text").textContent = code ? code.code : "";
  $("code-note").textContent = code ? said(code.note) || "" : "";
  $("code-credentials").textContent = code ? t(`code.credentials.${code.credentials}`) : "";
  $("code-copy").disabled = download.disabled = !code;
  download.textContent = t("code.download", { file: code ? code.filename : "" }).trim();
}
