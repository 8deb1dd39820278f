// shorten cuts an explanation for the one-line preview under the input:
// at the end of its first sentence when that comes soon enough, else at a
// word boundary with an ellipsis. An abbreviation's dot ("e.g.", "np.",
// "т. е.") never ends a sentence, and nothing is cut inside a word.

/** abbreviations end with a dot but not a sentence, in the page's languages. */
const abbreviations = new Set(["e.g.", "i.e.", "etc.", "cf.", "vs.", "approx.", "np.", "tzn.", "m.in.", "itp.", "itd.", "tj.", "ok.", "zob.", "por.", "т.е.", "е.", "т.", "напр.", "др.", "см.", "т.д.", "т.п.", "д.", "п."]);

/** shorten returns s, or its first sentence, or its first words and "…", within max characters. */
export function shorten(s, max = 160) {
  if (s.length <= max && sentenceEnd(s) < 0) return s;
  const end = sentenceEnd(s);
  if (end >= 0 && end < max) return s.slice(0, end + 1);
  if (s.length <= max) return s;
  const cut = s.lastIndexOf(" ", max - 1);
  const head = (cut > max / 3 ? s.slice(0, cut) : s.slice(0, max - 1)).replace(/[\s,;:–—-]+$/, "");
  return `${head}…`;
}

/** sentenceEnd is the index of the first sentence's final mark followed by more text, or -1. */
function sentenceEnd(s) {
  for (const m of s.matchAll(/[.!?](?=\s+\S)/g)) {
    if (s[m.index] !== ".") return m.index;
    const word = /\S*$/.exec(s.slice(0, m.index + 1))[0].toLowerCase().replace(/^[(«„“"']+/, "");
    if (abbreviations.has(word) || /^\p{L}\.$/u.test(word) || /\p{L}\.\p{L}/u.test(word)) continue;
    return m.index;
  }
  return -1;
}
