// Starts the page's Go half (main.wasm) once the page's own start is done.
// The <link rel="preload"> before this script has main.wasm downloading
// from the moment the head is parsed; compiling it and starting Go take
// the main thread for long stretches, so they wait: app.js calls
// window.smtplayRun() once Connect can be pressed, and main.wasm is
// compiled (instantiateStreaming of the preloaded response, served as
// application/wasm; a fetch that did not take it would download main.wasm
// twice) and run after the page has drawn that. window.smtplayStart
// resolves once Go has put the smtplay object on the page, and rejects if
// main.wasm cannot be loaded or Go stops.
(function () {
  var url = new URL("main.wasm", document.currentScript.src); // beside this script: a/<build>/main.wasm
  var run;
  window.smtplayStart = new Promise(function (resolve, reject) {
    window.addEventListener("smtplay-ready", function () { resolve(); }, { once: true });
    run = function () {
      var go = new Go();
      WebAssembly.instantiateStreaming(fetch(url), go.importObject)
        .then(function (r) { return go.run(r.instance); })
        .then(function () { reject(new Error("the console's Go half stopped")); }, reject);
    };
  });
  window.smtplayStart.catch(function () {}); // reported by app.js
  window.smtplayRun = function () { afterPaint(run); };

  // afterPaint calls fn once, in a task after the next frame is drawn, or
  // after 100 ms where no frame comes (a hidden tab, a frame out of view).
  function afterPaint(fn) {
    var done = false;
    var once = function () {
      if (!done) {
        done = true;
        fn();
      }
    };
    requestAnimationFrame(function () { setTimeout(once, 0); });
    setTimeout(once, 100);
  }
})();
