// Lesson files: Markdown with a little front matter, split into steps at
// "## " headings, each step with one "check:" line
// (static/lessons/README.md is the teacher's guide). Parsing and checking
// are pure: no DOM here.

/** The phases a "state" check may name (wasm/session Phase). */
export const phases = ["awaiting-greeting", "greeted", "ready", "auth", "authenticated", "mail", "rcpt", "data", "bdat", "starttls", "tls", "closing", "closed"];

/** The parts of the page a step's "show:" line may bring into view. */
export const shows = ["inbox"];

/** LessonError is a mistake in a lesson file, with its line number. */
export class LessonError extends Error {
  constructor(line, message) {
    super(`line ${line}: ${message}`);
    this.line = line;
  }
}

/**
 * parseLesson turns a lesson file into
 * {title, summary, target, intro: blocks, steps: [{title, line, blocks, check, show}]}.
 * Blocks are {type: "p", text}, {type: "ul", items} and
 * {type: "code", lang, lines}; a check is what parseCheck returns; show
 * is what a "show:" line names (the inbox), brought into view when the
 * step opens, or "".
 */
export function parseLesson(text) {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const lesson = { title: "", summary: "", target: "", intro: [], steps: [] };
  let i = 0;
  if (lines[0] === "---") {
    for (i = 1; i < lines.length && lines[i] !== "---"; i++) {
      if (lines[i].trim() === "") continue;
      const m = /^([a-z]+):\s*(.*)$/.exec(lines[i]);
      if (!m || !(m[1] in lesson) || typeof lesson[m[1]] !== "string") throw new LessonError(i + 1, `expected "title:", "summary:" or "target:", found "${lines[i]}"`);
      lesson[m[1]] = m[2].trim();
    }
    if (i === lines.length) throw new LessonError(1, "the front matter has no closing ---");
    i++;
  }
  if (!lesson.title) throw new LessonError(1, "the front matter needs a title:");
  let blocks = lesson.intro;
  let step = null;
  let para = null;
  const endPara = () => { para = null; };
  for (; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^```\s*([a-z]*)\s*$/.exec(line);
    if (fence) {
      const start = i;
      const code = [];
      for (i++; i < lines.length && lines[i] !== "```"; i++) code.push(lines[i]);
      if (i === lines.length) throw new LessonError(start + 1, "this ``` block is never closed");
      if (fence[1] === "smtp" && !code.length) throw new LessonError(start + 1, "this smtp block is empty");
      blocks.push({ type: "code", lang: fence[1], lines: code });
      endPara();
      continue;
    }
    const heading = /^## +(.+)$/.exec(line);
    if (heading) {
      step = { title: heading[1].trim(), line: i + 1, blocks: [], check: null, show: "" };
      lesson.steps.push(step);
      blocks = step.blocks;
      endPara();
      continue;
    }
    const check = /^check:\s*(.*)$/.exec(line);
    if (check) {
      if (!step) throw new LessonError(i + 1, "a check belongs to a step: put it after a ## heading");
      if (step.check) throw new LessonError(i + 1, "this step already has a check");
      try {
        step.check = parseCheck(check[1]);
      } catch (err) {
        throw new LessonError(i + 1, err.message);
      }
      endPara();
      continue;
    }
    const show = /^show:\s*(.*)$/.exec(line);
    if (show) {
      if (!step) throw new LessonError(i + 1, "show: belongs to a step: put it after a ## heading");
      if (!shows.includes(show[1].trim())) throw new LessonError(i + 1, `"show" wants one of ${shows.join(", ")}: "${show[1].trim()}"`);
      step.show = show[1].trim();
      endPara();
      continue;
    }
    const item = /^[-*] +(.*)$/.exec(line);
    if (item) {
      const last = blocks[blocks.length - 1];
      if (last && last.type === "ul" && para === last) last.items.push(item[1]);
      else blocks.push((para = { type: "ul", items: [item[1]] }));
      continue;
    }
    if (line.trim() === "") {
      endPara();
      continue;
    }
    if (para && para.type === "ul") para.items[para.items.length - 1] += ` ${line.trim()}`;
    else if (para) para.text += ` ${line.trim()}`;
    else blocks.push((para = { type: "p", text: line.trim() }));
  }
  if (!lesson.steps.length) throw new LessonError(lines.length, "a lesson needs at least one step (a ## heading)");
  const unchecked = lesson.steps.find((s) => !s.check);
  if (unchecked) throw new LessonError(unchecked.line, `the step "${unchecked.title}" needs a check: line`);
  return lesson;
}

/**
 * parseCheck reads one check:
 *   reply 250 | reply 2xx | reply 250 to EHLO
 *   prompt "Username:"
 *   state authenticated
 *   capability AUTH
 *   delivered | delivered subject "Hello"
 */
export function parseCheck(text) {
  const words = /^([a-z]+)(?:\s+(.*))?$/.exec(text.trim());
  if (!words) throw new Error(`"${text}" is not a check`);
  const [, kind, rest = ""] = words;
  let m;
  switch (kind) {
    case "reply":
      if ((m = /^([2-5][0-9x][0-9x])(?:\s+to\s+([A-Za-z-]+))?$/.exec(rest))) return { kind, code: m[1], to: m[2] ? m[2].toUpperCase() : "" };
      throw new Error(`"reply" wants a code such as 250 or 2xx, and maybe "to EHLO": "${rest}"`);
    case "prompt":
      if ((m = /^"([^"]+)"$/.exec(rest))) return { kind, text: m[1] };
      throw new Error(`"prompt" wants the decoded text in quotes, such as "Username:": "${rest}"`);
    case "state":
      if (phases.includes(rest)) return { kind, phase: rest };
      throw new Error(`"state" wants one of ${phases.join(", ")}: "${rest}"`);
    case "capability":
      if ((m = /^[A-Za-z0-9][A-Za-z0-9-]*$/.exec(rest))) return { kind, keyword: rest.toUpperCase() };
      throw new Error(`"capability" wants a keyword such as AUTH: "${rest}"`);
    case "delivered":
      if (rest === "") return { kind, subject: null };
      if ((m = /^subject\s+"([^"]*)"$/.exec(rest))) return { kind, subject: m[1] };
      throw new Error(`"delivered" takes nothing, or subject "…": "${rest}"`);
    default:
      throw new Error(`unknown check "${kind}": use reply, prompt, state, capability or delivered`);
  }
}

/**
 * met reports whether a console event meets a check. Replies, prompts and
 * deliveries must happen (the event carries them); states and capabilities
 * are looked up in the event's view.
 */
export function met(check, ev) {
  const session = ev.session || [];
  switch (check.kind) {
    case "reply":
      return session.some((se) => se.kind === "reply" && codeMatches(check.code, se.reply.code) && (!check.to || (se.reply.to || "").toUpperCase() === check.to));
    case "prompt":
      return session.some((se) => se.kind === "prompt" && se.prompt.decoded === check.text);
    case "state":
      return Boolean(ev.view && ev.view.state && ev.view.state.phase === check.phase);
    case "capability":
      return ((ev.view && ev.view.capabilities) || []).some((c) => c.keyword === check.keyword);
    case "delivered":
      return ev.type === "delivered" && (check.subject === null || ev.delivered.subject === check.subject);
  }
}

function codeMatches(pattern, code) {
  const s = String(code);
  return [...pattern].every((c, i) => c === "x" || c === s[i]);
}
