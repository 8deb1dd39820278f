// Languages: the page's own words live in i18n/<lang>.json, one file per
// language listed in i18n/languages.json. The language comes from ?lang=,
// else from the browser's preferences, else English. Elements marked
// data-i18n="key" take the string as their text; data-i18n-attr="attr:key"
// sets an attribute. Switching reloads nothing: listeners redraw.
// What the engine explains (reply codes, their digits, enhanced status codes,
// capabilities) and the sentences it writes (warnings, notes, the state) it
// says in English; a language may say them in its own words in
// i18n/explain/<lang>.json, read by explained() and said().
import { setting } from "./config.js";

const fallback = "en";
let names = {};
let strings = {};
let english = {};
let explanations = {};
let current = fallback;
const listeners = [];

/** load picks the language and fetches its strings (and English, for gaps). */
export async function load() {
  [names, english] = await Promise.all([getJSON("i18n/languages.json"), getJSON(`i18n/${fallback}.json`)]);
  await use(choose());
}

function choose() {
  const asked = setting("lang");
  const wanted = [asked, ...(navigator.languages || [navigator.language])].filter(Boolean);
  for (const w of wanted) {
    const base = w.toLowerCase().split("-")[0];
    if (base in names) return base;
  }
  return fallback;
}

async function use(lang) {
  [strings, explanations] = lang === fallback ? [english, {}] : await Promise.all([getJSON(`i18n/${lang}.json`), getOptionalJSON(`i18n/explain/${lang}.json`)]);
  current = lang;
  document.documentElement.lang = lang;
  translate(document);
}

async function getJSON(url) {
  const resp = await fetch(new URL(url, import.meta.url)); // beside this module: a/<build>/i18n/…
  if (!resp.ok) throw new Error(`${url} could not be loaded (${resp.status})`);
  return resp.json();
}

/** getOptionalJSON is getJSON for a file a language may lack: a 404 gives {}. */
async function getOptionalJSON(url) {
  const resp = await fetch(new URL(url, import.meta.url)); // beside this module: a/<build>/i18n/…
  if (resp.status === 404) return {};
  if (!resp.ok) throw new Error(`${url} could not be loaded (${resp.status})`);
  return resp.json();
}

/** lang is the language in use. */
export const lang = () => current;

/**
 * t returns the string for key, with {name} filled from vars. With a count
 * vars.n, "key.one", "key.few", "key.many" or "key.other" (the language's
 * plural rules) comes before "key".
 */
export function t(key, vars = {}) {
  const plural = typeof vars.n === "number" ? `${key}.${new Intl.PluralRules(current).select(vars.n)}` : "";
  const s = strings[plural] ?? strings[key] ?? english[plural] ?? english[key] ?? key;
  return s.replace(/\{([a-z]+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

/**
 * explained returns the language's own words for what the engine explains
 * under key ("reply.503.title", "class.5", "enhanced.x.5.1.text",
 * "capability.SIZE.title"), or engine, the engine's English, when its
 * i18n/explain/<lang>.json does not have them. English has no such file.
 */
export function explained(key, engine) {
  return explanations[key] ?? engine;
}

/**
 * said returns a sentence the engine wrote, a Text {"en": "...", "say":
 * [{"key": "warn.rcpt-before-mail", "args": {...}}, ...]} (package
 * wasm/phrase), in the language's own words when the language has every
 * phrase, else in English; "" for no Text. A key may also name an
 * explanation, such as "command.MAIL.text".
 */
export function said(text) {
  if (!text) return "";
  const phrases = text.say;
  if (!Array.isArray(phrases) || !phrases.length) return text.en;
  const parts = [];
  for (const p of phrases) {
    const tmpl = explanations[p.key];
    if (typeof tmpl !== "string") return text.en;
    const args = p.args || {};
    parts.push(tmpl.replace(/\{([a-z][a-zA-Z]*)\}/g, (m, name) => (name in args ? String(args[name]) : m)));
  }
  return parts.join(" ");
}

/** translate sets the text and attributes of the marked elements under root. */
function translate(root) {
  // Only what differs is set: the page comes in English, and a node set to
  // the words it has would be styled and laid out again for nothing.
  for (const node of root.querySelectorAll("[data-i18n]")) {
    const s = t(node.dataset.i18n);
    if (node.textContent !== s) node.textContent = s;
  }
  for (const node of root.querySelectorAll("[data-i18n-attr]")) {
    for (const pair of node.dataset.i18nAttr.split(" ")) {
      const [attr, key] = pair.split(":");
      const s = t(key);
      if (node.getAttribute(attr) !== s) node.setAttribute(attr, s);
    }
  }
}

/** onChange calls f after each switch of language. */
export function onChange(f) {
  listeners.push(f);
}

/** switchTo changes the language and keeps it in the address, for a reload or a link. */
async function switchTo(code) {
  if (!(code in names) || code === current) return;
  await use(code);
  const url = new URL(location.href);
  url.searchParams.set("lang", code);
  history.replaceState(history.state, "", url);
  for (const f of listeners) f(code);
}

/**
 * showChoice makes select, still disabled, name the language in use: the
 * page's words are in, the Go half is not, and mountSwitch offers the others
 * once it is (the page is sent saying English, as its text is).
 */
export function showChoice(select) {
  const o = document.createElement("option");
  o.value = current;
  o.textContent = names[current] || current;
  select.replaceChildren(o);
}

/** mountSwitch fills a select with the languages and switches on change. */
export function mountSwitch(select) {
  select.replaceChildren(...Object.entries(names).map(([code, name]) => {
    const o = document.createElement("option");
    o.value = code;
    o.textContent = name;
    return o;
  }));
  select.value = current;
  select.disabled = false;
  select.addEventListener("change", () => switchTo(select.value));
}
