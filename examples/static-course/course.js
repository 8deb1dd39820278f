// A course page, itself static files, that embeds smtplay built with
// `make static` (docs/EMBED.md, "On a static host") and talks to it. The
// playground's address comes from config.json next to this page
// ({"smtplay": "https://smtplay.example.edu/"}), or from ?smtplay=… in the
// page's address, which wins. The playground's build lists this page's
// origin in STATIC_EMBED_ORIGINS (its settings.json), or its embed takes no
// command from here and tells this page nothing.
const log = document.getElementById("log");
const frame = document.getElementById("homework");
const smtplay = await playground();
/** received keeps every message as it came, for the browser's console (and the tests). */
const received = (window.received = []);

/** playground returns the playground's address: ?smtplay=, else config.json's; without either the page says what to do. */
async function playground() {
  const given = new URLSearchParams(location.search).get("smtplay");
  try {
    if (given) return new URL(given);
    const resp = await fetch("config.json", { cache: "no-cache" });
    if (!resp.ok) throw new Error(`config.json: ${resp.status} ${resp.statusText}`);
    return new URL((await resp.json()).smtplay);
  } catch (err) {
    say("setup", `This page does not know where smtplay is (${err.message}): add ?smtplay=https://your-playground/ to its address, or put {"smtplay": "https://your-playground/"} in config.json next to it.`);
    throw err;
  }
}

// Listen first, then load the frame, so no "ready" is missed.
window.addEventListener("message", (e) => {
  // Only the playground's origin, and only our own frame.
  if (e.origin !== smtplay.origin || e.source !== frame.contentWindow || !e.data || e.data.smtplay !== 1) return;
  received.push(e.data);
  say(e.data.type, (describe[e.data.type] || ((m) => m.type))(e.data));
});
// embed.html is the static build's page for an iframe (smtplay's /embed);
// share=lines lets this page see what the student types (the delivered
// message's subject), and the playground tells the student so.
const settings = new URLSearchParams({ lesson: "first-email", target: "sandbox", id: "homework", share: "lines" });
frame.src = `${new URL("embed.html", smtplay).href}#${settings}`;
// A playground that does not list this page says nothing: after a while, say so.
setTimeout(() => {
  if (!received.some((m) => m.type === "ready")) say("silent", `The playground at ${smtplay.origin} has not answered: its build must list ${location.origin} (make static STATIC_EMBED_ORIGINS=${location.origin}).`);
}, 10000);

for (const button of document.querySelectorAll("[data-send]")) {
  button.addEventListener("click", () => send(JSON.parse(button.dataset.send)));
}

/** send gives the playground a command, addressed to its origin alone. */
function send(command) {
  frame.contentWindow.postMessage({ smtplay: 1, ...command }, smtplay.origin);
}

/** describe turns an event into a line of the log. */
const describe = {
  ready: (m) => `ready${m.lesson ? `: lesson “${m.lesson.title}”, ${m.lesson.step} of ${m.lesson.total} steps done` : ""}`,
  connected: (m) => `connected to ${m.host}`,
  reply: (m) => `reply ${m.code}${m.enhanced ? ` ${m.enhanced}` : ""}${m.to ? ` to ${m.to}` : ""}`,
  state: (m) => `now ${m.to}`,
  capabilities: (m) => `the server offers ${m.keywords.join(", ") || "nothing more"}`,
  "lesson-loaded": (m) => `opened the lesson “${m.title}”, ${m.step} of ${m.total} steps done`,
  "step-done": (m) => `step ${m.step} of ${m.total} done in “${m.title}” (${m.check})`,
  "lesson-done": (m) => `lesson “${m.title}” complete`,
  delivered: (m) => (m.to ? `delivered “${m.subject}” to ${m.to.join(", ")}` : `delivered a message to ${m.recipients} recipient${m.recipients === 1 ? "" : "s"}`),
  closed: (m) => `closed${m.by ? ` by the ${m.by}` : ""}`,
  held: (m) => `held ${m.line ?? `a ${m.verb || m.mode} line`} for the student to decide`,
  error: (m) => `refused ${m.command}: ${m.message}`,
};

/** say adds a line to the log. */
function say(type, text) {
  const line = document.createElement("li");
  line.dataset.type = type;
  line.textContent = text;
  log.append(line);
  line.scrollIntoView({ block: "nearest" });
}
