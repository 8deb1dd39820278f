// A minimal console: the session engine and the full page come with the page issue.
const $ = (id) => document.getElementById(id);
const transcript = $("transcript");

function show(kind, text) {
  const li = document.createElement("li");
  li.className = kind;
  li.textContent = text; // server text is untrusted: never innerHTML
  transcript.append(li);
  li.scrollIntoView({ block: "nearest" });
}

function setConnected(on) {
  $("connect").disabled = on;
  $("disconnect").disabled = !on;
  $("line").disabled = !on;
  document.querySelector("#console button").disabled = !on;
  if (on) $("line").focus();
}

async function loadTargets() {
  const targets = await (await fetch("api/targets")).json();
  for (const t of targets) {
    const o = document.createElement("option");
    o.value = t.name;
    o.textContent = `${t.name} — ${t.description || t.host + ":" + t.port}`;
    $("target").append(o);
  }
  const demo = targets.find((t) => t.demo);
  if (demo) $("demo").textContent = `Practice login for the sandbox: ${demo.demo.username} / ${demo.demo.password}`;
}

function onmessage(kind, text) {
  if (kind === "server") return show("server", text.replace(/\r?\n$/, ""));
  if (kind === "gone") { setConnected(false); $("status").textContent = "Disconnected"; return show("error", text); }
  const ev = JSON.parse(text);
  if (ev.type === "opened") { setConnected(true); $("status").textContent = `Connected to ${ev.host}:${ev.port}`; }
  if (ev.type === "error") return show("error", ev.message);
  if (ev.type === "closed") { setConnected(false); $("status").textContent = "Closed"; return show("event", `Session closed by the ${ev.by}: ${ev.reason}`); }
  if (ev.type === "tls") return show("event", `TLS is up: ${ev.version}, ${ev.cipher}, certificate ${ev.verified ? "verified" : "NOT verified"}`);
  if (ev.type === "delivered") return show("event", `Delivered to the sandbox mailbox: "${ev.subject}" (${ev.size} bytes)`);
}

window.addEventListener("smtplay-ready", () => {
  window.smtplay.onmessage = onmessage;
  $("connect").disabled = false;
  $("status").textContent = "Not connected";
});

$("connect-bar").addEventListener("submit", (e) => {
  e.preventDefault();
  transcript.replaceChildren();
  const url = new URL("tunnel", location.href);
  url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  window.smtplay.connect(url.href, $("target").value);
});
$("disconnect").addEventListener("click", () => window.smtplay.close());
$("console").addEventListener("submit", (e) => {
  e.preventDefault();
  const lines = $("line").value.split(/\r?\n/);
  for (const l of lines) show("client", l);
  window.smtplay.send(lines.map((l) => l + "\r\n").join(""));
  $("line").value = "";
});

loadTargets().catch((err) => show("error", `Could not load the list of servers: ${err}`));
const go = new Go();
WebAssembly.instantiateStreaming(fetch("main.wasm"), go.importObject).then((r) => go.run(r.instance));
