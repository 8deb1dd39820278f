// The page: it loads the list of servers and the page's words, lets the Go
// half (main.wasm, compiled by start.js from <head>) start once Connect can
// be pressed, waits for it, and hands every event of the console to the
// modules that draw it.
import { store } from "./store.js";
import * as connect from "./connect.js";
import * as transcript from "./transcript.js";
import * as prompt from "./prompt.js";
import * as panel from "./panel.js";
import * as helpers from "./helpers.js";
import * as inbox from "./inbox.js";
import * as lessons from "./lessons.js";
import * as lang from "./lang.js";
import * as embed from "./embed.js";
import * as replay from "./replay.js";
import * as share from "./share.js";
import * as exportcode from "./exportcode.js";
import * as waiting from "./waiting.js";
import * as wireview from "./wireview.js";
import { loadOperator } from "./config.js";
import * as offline from "./offline.js";

// The lessons module, as the page runs it: a test opens a lesson text with
// it (the page may be one bundled module, so importing lessons.js beside it
// would give another copy, without the page's state).
export { lessons };

const modules = [connect, transcript, prompt, panel, helpers, inbox, lessons, embed, replay, share, exportcode, waiting, wireview];

function onevent(ev) {
  store.view = ev.view;
  for (const m of modules) {
    try {
      m.onEvent(ev);
    } catch (err) {
      console.error("smtplay: drawing an event failed", ev.type, err);
    }
  }
}

async function boot() {
  // What the page loads starts at once, and the modules set themselves up
  // once the page has been drawn as it came: Connect shows from the first
  // frame (a smtplay server sends it enabled, and early.js keeps a press
  // until connect.usable acts on it). The API is fetched once
  // offline.decide knows who answers it: a server, or the in-page sandbox.
  const api = offline.decide();
  const words = lang.load();
  for (const p of [api, words]) p.catch(() => {}); // reported below
  await new Promise((drawn) => window.smtplayAfterPaint(drawn));
  for (const m of modules) m.init();
  words.then(() => lang.showChoice(document.getElementById("lang")), () => {}); // the switch waits for Go
  try {
    const operator = api.then(loadOperator); // not needed to connect: awaited after Connect is usable
    operator.catch(() => {}); // reported below
    // The in-page sandbox gives the list of servers once its worker has
    // started, a second or more on a slow machine: Go starts meanwhile.
    api.then((inPage) => inPage && window.smtplayRun(), () => {});
    await Promise.all([words, api.then(connect.loadTargets)]);
    connect.usable(); // a press before the Go half runs is kept until it does
    window.smtplayRun(); // Go's start, one long task, waited for the page's own
    await Promise.all([operator, window.smtplayStart]);
  } catch (err) {
    connect.failed(err);
    return;
  }
  window.smtplay.onevent = onevent;
  connect.ready();
  wireview.ready();
  lang.mountSwitch(document.getElementById("lang"));
  await lessons.ready();
  share.open();
  embed.ready();
  inbox.showShared();
  document.body.dataset.ready = "true";
  performance.mark("smtplay-ready");
}

boot();
