// Starts the page's Go half (main.wasm) as the body begins, before the
// page's module scripts have loaded: the wasm compiles as it downloads
// (instantiateStreaming of the response the head's <link rel="preload">
// asked for, served as application/wasm; the link must be parsed first, or
// the fetch would not take the preloaded response and main.wasm would come
// twice), and Go starts as soon as it has compiled, while the modules, the
// page's words and the server list are still on their way. app.js waits on
// window.smtplayStart: it resolves once Go has put the smtplay object on the
// page, and rejects if main.wasm cannot be loaded or Go stops.
(function () {
  var url = new URL("main.wasm", document.currentScript.src); // beside this script: a/<build>/main.wasm
  window.smtplayStart = new Promise(function (resolve, reject) {
    window.addEventListener("smtplay-ready", function () { resolve(); }, { once: true });
    var go = new Go();
    WebAssembly.instantiateStreaming(fetch(url), go.importObject)
      .then(function (r) { return go.run(r.instance); })
      .then(function () { reject(new Error("the console's Go half stopped")); }, reject);
  });
  window.smtplayStart.catch(function () {}); // reported by app.js, which may not have loaded yet
})();
