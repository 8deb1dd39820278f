// A session opened before the Go half runs: Connect pressed while
// main.wasm still starts. The page speaks the tunnel's first step itself
// (docs/PROTOCOL.md: one open message), draws the server's lines as they
// come, not yet explained, and hands the socket with every message it got
// to the Go half once that runs (smtplay.adopt), which draws the session
// again, explained, and goes on with it. Go's start, one long task, waits
// for the greeting (a second at most), so the server's first words are
// not kept behind it.

/** subprotocol is the tunnel's (wire.Subprotocol). */
const subprotocol = "smtplay.v1";

/** greetingWait bounds how long Go's start waits for the server's first reply. */
const greetingWait = 1000;

/**
 * open connects to the tunnel at url and asks for spec ({target} or
 * {host, port}, with mailbox), with wire when the wire view is on. It
 * calls opened(msg) for the proxy's opened message and line(text) for each
 * whole line of the server. handover resolves to {ws, got, spec} once the
 * open message went, or to null when the socket never opened; close ends
 * the session when no Go half will take it.
 */
export function open(url, spec, wire, { opened, line }) {
  const ws = new WebSocket(url, subprotocol);
  ws.binaryType = "arraybuffer";
  const got = [];
  const decoder = new TextDecoder();
  let partial = "";
  let greeted;
  const greeting = new Promise((resolve) => {
    greeted = resolve;
    setTimeout(resolve, greetingWait);
  });
  window.smtplayRunAfter(greeting);
  const sent = new Promise((resolve) => {
    ws.onopen = () => {
      ws.send(JSON.stringify({ type: "open", ...spec, ...(wire ? { wire: true } : {}) }));
      resolve(true);
    };
    ws.onclose = () => {
      greeted();
      resolve(false);
    };
  });
  ws.onmessage = (e) => {
    got.push(e.data);
    if (typeof e.data === "string") {
      const msg = parse(e.data);
      if (msg && msg.type === "opened") opened(msg);
      else if (msg && (msg.type === "error" || msg.type === "closed")) greeted(); // Go says what it means
      return;
    }
    const lines = (partial + decoder.decode(e.data, { stream: true })).split("\r\n");
    partial = lines.pop();
    for (const l of lines) {
      line(l);
      if (/^\d{3}(?: |$)/.test(l)) greeted(); // the reply's last line
    }
  };
  return {
    handover: () => sent.then((ok) => (ok ? { ws, got, spec } : null)),
    close: () => ws.close(1000, "the console could not start"),
  };
}

function parse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
