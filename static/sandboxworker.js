// The in-page sandbox's Web Worker: it runs sandbox.wasm (wasm/sandboxworker),
// the practice server and its tunnel, and hands it each message the page
// posts (offline.js). Messages that arrive before the Go program is ready
// wait here, in order.
importScripts("wasm_exec.js");

const early = [];
self.onmessage = (e) => early.push(e.data);

const go = new Go();
// A classic worker: addresses are relative to this script, under the build's a/<hash>/.
WebAssembly.instantiateStreaming(fetch(new URL("sandbox.wasm", self.location)), go.importObject)
  .then((r) => {
    go.run(r.instance); // main has set smtplaySandbox (or said why not) when this returns
    if (typeof self.smtplaySandbox !== "function") return;
    self.onmessage = (e) => self.smtplaySandbox(e.data);
    for (const d of early.splice(0)) self.smtplaySandbox(d);
  })
  .catch((err) => postMessage({ failed: `sandbox.wasm could not be started: ${err.message || err}` }));
