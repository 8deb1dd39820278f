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
const query = new URLSearchParams(location.search);
const fragment = new URLSearchParams(location.hash.slice(1));

/** setting returns the named setting of the address, or null. */
export const setting = (name) => fragment.get(name) ?? query.get(name);

/** embedded is true on /embed, the compact page for an iframe. */
export const embedded = /\/embed\/?$/.test(location.pathname);
