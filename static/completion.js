// The completion list of the input line, an ARIA combobox's listbox: the
// engine's suggestions that start with what is typed, shown as it is typed.
// While the list is shown, ↓/↑ choose, Enter takes the chosen one, Tab the
// chosen one or else the first, Escape closes it; a click takes one too.
// With nothing to complete the list is hidden and Tab moves focus on.
import { $, el, replace } from "./dom.js";
import { store } from "./store.js";
import { said, t } from "./lang.js";

const input = $("line");
const list = $("completions");
let matches = []; // the suggestions shown
let active = -1; // the index of the chosen one, or -1
let accept = () => {};

/** init wires the list; take(suggestion) puts a taken suggestion in the input. */
export function init(take) {
  accept = take;
  list.addEventListener("mousedown", (e) => e.preventDefault()); // the input keeps focus
  list.addEventListener("click", (e) => {
    const li = e.target.closest("[role=option]");
    if (li) takeAt(Number(li.dataset.index));
  });
  input.addEventListener("blur", close);
}

/** isOpen says whether the list is shown. */
export const isOpen = () => !list.hidden;

/**
 * update shows the suggestions that start with the input's text (all of
 * them when all is true), or hides the list when none is left to complete.
 */
export function update(all = false) {
  const v = store.view;
  const typed = input.value;
  const m = v && v.state ? v.state.mode : "command";
  if (!v || v.status !== "open" || m === "auth-response" || document.activeElement !== input || (typed === "" && !all)) return close();
  const p = typed.toUpperCase();
  const shown = (v.suggestions || []).filter((s) => {
    const line = said(s.line);
    if (s.line.en === "" || line.toUpperCase() === p) return false;
    return s.line.en.toUpperCase().startsWith(p) || line.toUpperCase().startsWith(p);
  });
  if (!shown.length) return close();
  const chosen = active >= 0 ? matches[active] : null;
  matches = shown;
  active = chosen ? matches.findIndex((s) => s.line.en === chosen.line.en) : -1;
  draw();
}

/** close hides the list. */
export function close() {
  matches = [];
  active = -1;
  list.hidden = true;
  replace(list);
  input.setAttribute("aria-expanded", "false");
  input.removeAttribute("aria-activedescendant");
}

/** onKey handles a key of the input that is the list's; it returns whether it did. */
export function onKey(e) {
  if (e.ctrlKey || e.metaKey) return false;
  if (!isOpen()) {
    if (e.key === "ArrowDown" && e.altKey) {
      update(true);
      return isOpen();
    }
    return false;
  }
  if (e.altKey) return false;
  switch (e.key) {
    case "ArrowDown": choose(active + 1); return true;
    case "ArrowUp": choose(active <= 0 ? matches.length - 1 : active - 1); return true;
    case "Enter":
      if (active < 0) return false; // nothing chosen: Enter sends the line as typed
      takeAt(active);
      return true;
    case "Tab":
      if (e.shiftKey) return false;
      takeAt(Math.max(active, 0));
      return true;
    case "Escape": close(); return true;
  }
  return false;
}

function choose(i) {
  active = (i + matches.length) % matches.length;
  draw();
  list.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: "nearest" });
}

function takeAt(i) {
  const s = matches[i];
  close();
  if (s) accept(s);
}

function draw() {
  replace(list, ...matches.map((s, i) => el("li", {
    id: `completion-${i}`, class: "completion", dataset: { index: i },
    attrs: { role: "option", "aria-selected": String(i === active) },
  }, el("code", { text: said(s.line) }), el("span", { text: s.template ? t("next.edit", { why: said(s.why) }) : said(s.why) }))));
  list.hidden = false;
  input.setAttribute("aria-expanded", "true");
  if (active >= 0) input.setAttribute("aria-activedescendant", `completion-${active}`);
  else input.removeAttribute("aria-activedescendant");
}
