// Where lessons come from and how far a person got. A lesson is named by a
// ref: a built-in id ("first-email", static/lessons/), the address of a
// course's own lesson file (from an origin the operator lists with
// -lesson-origin), or {text} handed over by the page that embeds this one.
// Progress is kept in localStorage, so a reload resumes where it was.
import { parseLesson } from "./lessonfile.js";
import { lang, t } from "./lang.js";
import { operator, originAllowed } from "./config.js";

/** maxLessonBytes caps a course's lesson file. */
const maxLessonBytes = 256 << 10;

/** isRemote reports whether ref is the address of a course's lesson file. */
export const isRemote = (ref) => typeof ref === "string" && /^https?:\/\//i.test(ref);

/** key names a ref in progress and in events: the id, the address, or "text:" and the title. */
export const key = (ref, lesson) => (typeof ref === "string" ? ref : `text:${lesson.title}`);

/** loadLesson fetches and parses the lesson a ref names, in the page's language where it has one. */
export async function loadLesson(ref) {
  if (typeof ref === "object") return parseLesson(ref.text);
  if (isRemote(ref)) return parseLesson(await fetchRemote(ref));
  for (const code of new Set([lang(), "en"])) {
    const resp = await fetch(new URL(`lessons/${code}/${ref}.md`, import.meta.url));
    if (resp.ok) return parseLesson(await resp.text());
  }
  throw new Error(t("lessons.missing"));
}

async function fetchRemote(address) {
  let url;
  try {
    url = new URL(address);
  } catch {
    throw new Error(t("lessons.badAddress", { url: address }));
  }
  if (!originAllowed(operator.lesson_origins, url.origin)) throw new Error(t("lessons.originNotAllowed", { origin: url.origin }));
  let resp;
  try {
    resp = await fetch(url, { credentials: "omit", cache: "no-cache" });
  } catch {
    throw new Error(t("lessons.fetchFailed", { url: url.href }));
  }
  if (!resp.ok) throw new Error(t("lessons.fetchStatus", { url: url.href, status: resp.status }));
  const text = await resp.text();
  if (text.length > maxLessonBytes) throw new Error(t("lessons.tooLarge", { kib: maxLessonBytes >> 10 }));
  return text;
}

const storageKey = "smtplay.progress";

/** progress remembers, per lesson key, the open step and whether the lesson was finished. */
export const progress = {
  /** get returns {step, finished} for a key (step 0 when never opened). */
  get(k) {
    return read()[k] || { step: 0, finished: false };
  },
  /** set records the open step; reaching total marks the lesson finished for good. */
  set(k, step, total) {
    const all = read();
    all[k] = { step, finished: step >= total || Boolean(all[k] && all[k].finished) };
    write(all);
  },
  /** restart sends a lesson back to its first step (it stays finished if it was). */
  restart(k) {
    const all = read();
    if (all[k]) all[k].step = 0;
    write(all);
  },
};

// Storage may be off (a private window, a blocked third-party frame): then
// progress lasts as long as the page.
let memory = {};

function read() {
  try {
    return JSON.parse(localStorage.getItem(storageKey)) || {};
  } catch {
    return memory;
  }
}

function write(all) {
  memory = all;
  try {
    localStorage.setItem(storageKey, JSON.stringify(all));
  } catch {
    // kept in memory only
  }
}
