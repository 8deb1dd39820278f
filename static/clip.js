// Copy and download for the share and export dialogs: the clipboard API,
// or a selection where there is none (outside a secure context); a file
// made from a Blob.
import { el } from "./dom.js";
import { t } from "./lang.js";

/** copyText copies text, and says on the button for a moment whether it worked. */
export async function copyText(text, button) {
  let ok = true;
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Inside a modal dialog the rest of the page is inert: select in the dialog.
    const area = el("textarea", { value: text, readOnly: true, class: "offscreen" });
    (button.closest("dialog") || document.body).append(area);
    area.select();
    ok = document.execCommand("copy");
    area.remove();
  }
  const old = button.textContent;
  button.textContent = t(ok ? "clip.copied" : "clip.failed");
  setTimeout(() => { button.textContent = old; }, 1200);
}

/** downloadText saves text as a file of the given name. */
export function downloadText(text, filename) {
  const a = el("a", { href: URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" })), download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
