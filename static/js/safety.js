/* Quick exit: a fixed button and Shift pressed three times within 5 seconds.
   It blanks the page at once and replaces it, so Back does not come back here. */
(function () {
  "use strict";
  var button = document.getElementById("quick-exit");
  if (!button) { return; }
  var target = button.getAttribute("data-exit-url");
  var presses = [];

  function leave(event) {
    if (event) { event.preventDefault(); }
    document.documentElement.style.display = "none";
    document.title = "";
    try { window.dispatchEvent(new CustomEvent("gps:quick-exit")); } catch (e) { /* old browser: nothing to close */ }
    window.location.replace(target);
  }

  button.addEventListener("click", leave);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift" || event.repeat) { return; }
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 5000; });
    presses.push(now);
    if (presses.length >= 3) { leave(); }
  });
})();
