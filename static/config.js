// The page's settings come from its address: the query (?lang=pl) and the
// fragment (#lesson=first-email&script=…), the fragment winning. The
// fragment never reaches the server, so a link can carry a script or a
// transcript privately, and /embed is configured by it alone:
//
//   lesson   a built-in lesson id, or the https:// address of a course's lesson file
//   target   the server to preselect (a name of GET /api/targets)
//   script   lines to run, one per line (a share link's)
//   replay   a transcript to read without connecting, "C: " and "S: " lines
//   theme    light, dark or auto
//   lang     en, pl, … (i18n/languages.json)
//   mailbox  a sandbox mailbox token to open
//   host     the embedding page's origin, where the browser does not tell it
//   wait     seconds a line may go unanswered before the page says so and
//            offers to close or reconnect (15; tests set 1)
const query = new URLSearchParams(location.search);
const fragment = new URLSearchParams(location.hash.slice(1));

/** setting returns the named setting of the address, or null. */
export const setting = (name) => fragment.get(name) ?? query.get(name);

/** embedded is true on /embed, the compact page for an iframe (embed.html on a static host). */
export const embedded = /\/embed(\.html)?\/?$/.test(location.pathname);

/**
 * operator holds what the operator set that the page checks itself (GET
 * /api/settings): embedders (-allow-origin, the pages that may embed /embed)
 * and lesson_origins (-lesson-origin, where lesson files may come from).
 */
export const operator = { embedders: [], lesson_origins: [] };

/** loadOperator fetches the operator's settings. */
export async function loadOperator() {
  const resp = await fetch("api/settings");
  if (!resp.ok) throw new Error(`the playground's settings could not be loaded (${resp.status})`);
  Object.assign(operator, await resp.json());
}

/**
 * originAllowed reports whether an origin ("https://cs101.example.edu")
 * matches one of the patterns, as the proxy matches them: same scheme and
 * port, and a "*" in the host stands for letters, digits or hyphens within
 * one label.
 */
export function originAllowed(patterns, origin) {
  const esc = (s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
  return patterns.some((p) => {
    const m = /^(https?:\/\/)(\[[^\]]+\]|[^/:]+)(:\d+)?$/.exec(p);
    return Boolean(m) && new RegExp(`^${esc(m[1])}${m[2].split("*").map(esc).join("[a-z0-9-]+")}${esc(m[3] || "")}$`).test(origin);
  });
}
