// Starts the page's Go half (main.wasm) once the page's own start is done.
// main.wasm is downloaded and compiled from the moment the head is parsed,
// in a Web Worker (wasmcompile.js), off the page's main thread; a browser
// that cannot post a compiled module to the page compiles it here instead
// (instantiateStreaming, main.wasm served as application/wasm). Starting Go
// takes the main thread for a long stretch, so it waits: app.js calls
// window.smtplayRun() once Connect can be pressed (with the in-page
// sandbox, as soon as its worker starts), and Go runs after the page has
// drawn that, and after what window.smtplayRunAfter was given.
// window.smtplayStart resolves once Go has put the smtplay object on the
// page, and rejects if main.wasm cannot be loaded or Go stops.
(function () {
  var here = document.currentScript.src; // a/<build>/…: main.wasm and the worker are beside it
  var compiled = compileInWorker(new URL("wasmcompile.js", here));
  var run;
  window.smtplayStart = new Promise(function (resolve, reject) {
    window.addEventListener("smtplay-ready", function () { resolve(); }, { once: true });
    run = function () {
      var go = new Go();
      compiled
        .then(function (module) { return WebAssembly.instantiate(module, go.importObject); },
          function () { return WebAssembly.instantiateStreaming(fetch(new URL("main.wasm", here)), go.importObject).then(function (r) { return r.instance; }); })
        .then(function (instance) { return go.run(instance); })
        .then(function () { reject(new Error("the console's Go half stopped")); }, reject);
    };
  });
  window.smtplayStart.catch(function () {}); // reported by app.js
  var asked = false; // Go starts once, however often it is asked to
  window.smtplayRun = function () {
    if (asked) return;
    asked = true;
    afterPaint(function () { after.then(run); });
  };
  window.smtplayAfterPaint = afterPaint; // app.js sets the page up after its first frame
  // smtplayRunAfter makes Go's start wait for promise too, when it has not
  // begun: a session opened before Go runs shows its greeting first.
  var after = Promise.resolve();
  window.smtplayRunAfter = function (promise) { after = Promise.all([after, promise]); };

  // compileInWorker resolves to main.wasm's compiled module, and rejects
  // when the worker could not give one (no workers, a module that cannot
  // be posted, a download that failed): the page then compiles it itself.
  function compileInWorker(url) {
    return new Promise(function (resolve, reject) {
      var worker = new Worker(url);
      var done = function (fn, v) { worker.terminate(); fn(v); };
      worker.onmessage = function (e) {
        if (e.data && e.data.module instanceof WebAssembly.Module) done(resolve, e.data.module);
        else done(reject, new Error(e.data && e.data.failed));
      };
      worker.onmessageerror = function () { done(reject, new Error("the compiled main.wasm could not be posted")); };
      worker.onerror = function (e) { e.preventDefault(); done(reject, new Error("the compiling worker failed")); };
    });
  }

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
