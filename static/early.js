// Runs in <head>, before the first paint: the theme of the address
// (#theme=light or dark; anything else follows the system) and the compact
// layout of /embed, so neither flashes in after the page has drawn.
(function () {
  var root = document.documentElement;
  var theme = new URLSearchParams(location.hash.slice(1)).get("theme") || new URLSearchParams(location.search).get("theme");
  if (theme === "light" || theme === "dark") root.dataset.theme = theme;
  if (/\/embed(\.html)?\/?$/.test(location.pathname)) root.classList.add("embed");
})();
