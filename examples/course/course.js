// A course page that embeds two smtplay playgrounds and talks to them
// (docs/EMBED.md). The playground's address comes from ?smtplay=, for
// example ?smtplay=https://smtplay.example.org/; its operator lists this
// page's origin with -allow-origin, and with -lesson-origin for the
// course's own lesson file.
const smtplay = new URL(new URLSearchParams(location.search).get("smtplay") || "http://127.0.0.1:8080/");
const frames = { homework: document.getElementById("homework"), codes: document.getElementById("codes") };
const log = document.getElementById("log");

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
  report(name, e.data);
});
frames.homework.src = embedURL({ lesson: new URL("lessons/two-recipients.md", location.href).href, target: "sandbox", id: "homework" });
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
  reply: (m) => `reply ${m.code}${m.enhanced ? ` ${m.enhanced}` : ""}${m.to ? ` to ${m.to}` : ""}: ${m.lines[m.lines.length - 1]}`,
  "lesson-loaded": (m) => `opened the lesson “${m.title}”, ${m.step} of ${m.total} steps done`,
  "step-done": (m) => `step ${m.step} of ${m.total} done in “${m.title}”`,
  "lesson-done": (m) => `lesson “${m.title}” complete`,
  delivered: (m) => `delivered “${m.subject}” to ${m.to.join(", ")}`,
  closed: (m) => `closed${m.by ? ` by the ${m.by}` : ""}`,
  held: (m) => `held ${m.line} for the person to decide: ${m.warnings.join(" ")}`,
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
