// A course page that embeds two smtplay playgrounds and talks to them
// (docs/EMBED.md). The playground's address comes from config.json next to
// this page ({"smtplay": "https://smtplay.example.org/"}: `make course`
// serves it from its LISTEN), or from ?smtplay=… in the page's address,
// which wins (to try another playground). Its operator lists this page's
// origin with -allow-origin, and with -lesson-origin for the course's own
// lesson file.
const log = document.getElementById("log");
const smtplay = await playground();
const frames = { homework: document.getElementById("homework"), codes: document.getElementById("codes") };
/** received keeps every message as it came, for the browser's console (and the tests). */
const received = (window.received = []);

/** playground returns the playground's address: ?smtplay=, else config.json's; without either the page says what to do. */
async function playground() {
  const given = new URLSearchParams(location.search).get("smtplay");
  try {
    if (given) return new URL(given);
    const resp = await fetch("config.json", { cache: "no-store" });
    if (!resp.ok) throw new Error(`config.json: ${resp.status} ${resp.statusText}`);
    return new URL((await resp.json()).smtplay);
  } catch (err) {
    const line = document.createElement("li");
    line.dataset.type = "setup";
    line.textContent = `This page does not know where smtplay is (${err.message}): add ?smtplay=https://your-playground/ to its address, or put {"smtplay": "https://your-playground/"} in config.json next to it.`;
    log.append(line);
    throw err;
  }
}

/** embedURL is the playground's /embed, configured by its fragment. */
function embedURL(settings) {
  const url = new URL("embed", smtplay);
  url.hash = new URLSearchParams(settings).toString();
  return url.href;
}

// Listen first, then load the frames, so no "ready" is missed.
window.addEventListener("message", (e) => {
  if (e.origin !== smtplay.origin) return; // only the playground's origin…
  const name = Object.keys(frames).find((k) => frames[k].contentWindow === e.source);
  if (!name || !e.data || e.data.smtplay !== 1) return; // …and only our own frames
  received.push({ frame: name, ...e.data });
  report(name, e.data);
});
// The homework frame asks for what the student types (share=lines), to show
// the subject of the delivered message; the playground tells the student so.
// The reply-codes frame gets what a lesson checks alone, the default.
frames.homework.src = embedURL({ lesson: new URL("lessons/two-recipients.md", location.href).href, target: "sandbox", id: "homework", share: "lines" });
frames.codes.src = embedURL({ target: "sandbox", theme: "dark", id: "codes" });

for (const button of document.querySelectorAll("[data-send]")) {
  button.addEventListener("click", () => send("codes", JSON.parse(button.dataset.send)));
}

/** send gives a playground a command, addressed to its origin alone. */
function send(name, command) {
  frames[name].contentWindow.postMessage({ smtplay: 1, ...command }, smtplay.origin);
}

/** describe turns an event into a line of the log. */
const describe = {
  ready: (m) => `ready${m.lesson ? `: lesson “${m.lesson.title}”, ${m.lesson.step} of ${m.lesson.total} steps done` : ""}`,
  connected: (m) => `connected to ${m.host}`,
  reply: (m) => `reply ${m.code}${m.enhanced ? ` ${m.enhanced}` : ""}${m.to ? ` to ${m.to}` : ""}${m.lines ? `: ${m.lines[m.lines.length - 1]}` : ""}`,
  state: (m) => `now ${m.to}`,
  capabilities: (m) => `the server offers ${m.keywords.join(", ") || "nothing more"}`,
  "lesson-loaded": (m) => `opened the lesson “${m.title}”, ${m.step} of ${m.total} steps done`,
  "step-done": (m) => `step ${m.step} of ${m.total} done in “${m.title}” (${m.check})`,
  "lesson-done": (m) => `lesson “${m.title}” complete`,
  delivered: (m) => (m.to ? `delivered “${m.subject}” to ${m.to.join(", ")}` : `delivered a message to ${m.recipients} recipient${m.recipients === 1 ? "" : "s"}`),
  closed: (m) => `closed${m.by ? ` by the ${m.by}` : ""}`,
  held: (m) => (m.line !== undefined
    ? `held ${m.line} for the person to decide: ${m.messages.join(" ")}`
    : `held a ${m.verb || m.mode} line for the person to decide: ${m.warnings.join(", ")}${m.expect ? `, expecting ${m.expect}` : ""}`),
  error: (m) => `refused ${m.command}: ${m.message}`,
};

function report(name, m) {
  const line = document.createElement("li");
  line.dataset.frame = name;
  line.dataset.type = m.type;
  line.textContent = `[${name}] ${(describe[m.type] || ((x) => x.type))(m)}`;
  log.append(line);
  line.scrollIntoView({ block: "nearest" });
}
