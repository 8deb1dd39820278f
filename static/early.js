// Runs in <head>, before the first paint: the theme of the address
// (#theme=light or dark; anything else follows the system) and the compact
// layout of /embed, so neither flashes in after the page has drawn.
(function () {
  var root = document.documentElement;
  var theme = new URLSearchParams(location.hash.slice(1)).get("theme") || new URLSearchParams(location.search).get("theme");
  if (theme === "light" || theme === "dark") root.dataset.theme = theme;
  if (/\/embed(\.html)?\/?$/.test(location.pathname)) root.classList.add("embed");
})();

// A smtplay server sends the page with its servers listed and Connect
// enabled, so Connect can be pressed before the page's modules run. Until
// they take over (window.smtplayEarly.stop()), this keeps the press, and
// notes whether the person picked another server, says it is connecting,
// and stops the form going anywhere; connect.js acts on the press once the
// servers and the page's words are loaded.
(function () {
  var early = (window.smtplayEarly = { pressed: false, picked: false });
  var onSubmit = function (e) {
    if (e.target.id !== "connect-bar") return;
    e.preventDefault();
    if (early.pressed) return;
    early.pressed = true;
    document.getElementById("connect").disabled = true;
    document.getElementById("status").dataset.status = "connecting";
    var target = document.getElementById("target").value;
    document.getElementById("status-text").textContent = "Connecting to " + target + "…"; // in the person's words once they load
  };
  var onChange = function (e) {
    if (e.target.id === "target") early.picked = true;
  };
  document.addEventListener("submit", onSubmit, true);
  document.addEventListener("change", onChange, true);
  early.stop = function () {
    document.removeEventListener("submit", onSubmit, true);
    document.removeEventListener("change", onChange, true);
  };
})();
