import { setting } from "./config.js";

// What the page modules share: the target list, the sandbox mailbox of
// this tab, and the latest view the console reported.
export const store = {
  /** @type {Array<{name:string, host:string, port:number, tls:string, description?:string, demo?:{username:string,password:string}}>} */
  targets: [],
  /**
   * The sandbox mailbox token of this tab, reattached on each new sandbox
   * session. A page opened as …/#mailbox=TOKEN starts with that mailbox: the
   * one real clients fill through smtplay's -sandbox-smtp listener.
   */
  mailbox: setting("mailbox") || "",
  /** The latest console view (see wasm/console View). */
  view: null,
};

/** targetByName finds a target of GET /api/targets. */
export function targetByName(name) {
  return store.targets.find((t) => t.name === name);
}
