// Compiles the page's Go half (main.wasm) in a Web Worker, so that neither
// its download nor its compiling takes the page's main thread: start.js
// starts this worker from <head>, and it posts back the compiled
// WebAssembly.Module, which the page instantiates and runs, or
// {failed: "why"}. A classic worker: main.wasm is beside this script,
// under the build's a/<hash>/.
WebAssembly.compileStreaming(fetch(new URL("main.wasm", self.location)))
  .then((module) => postMessage({ module }))
  .catch((err) => postMessage({ failed: `main.wasm could not be loaded: ${err.message || err}` }));
