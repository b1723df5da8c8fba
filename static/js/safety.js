/* Quick exit: a fixed button, and Shift pressed three times within 5 seconds (GOV.UK "Exit this page").
   A Shift counts only when it is pressed and released ALONE (no other key in between: Shift+Z for a capital,
   Shift+Tab are not presses), and never while she types in a field: capitals in "Zoë De Smet" or in a
   reply to her coach must not throw her out and lose what she typed (iOS keyboards send Shift while typing).
   Leaving blanks the page at once and replaces it, so Back does not come back here; if the browser still
   restores this page from its back-forward cache, it leaves again at once.
   It runs in the page's head, before the body exists: every listener sits on the document, so a link tapped
   while the page is still loading on a slow phone is already caught (a tap before this script ran would add the
   history entry that Back after a quick exit finds). */
(function () {
  "use strict";
  var WINDOW_MS = 5000, NEEDED = 3;
  var presses = [], shiftDown = false, otherKey = false, exited = false;

  function blank() {
    document.documentElement.style.display = "none";
    document.title = "";
  }

  function exitButton() { return document.getElementById("quick-exit"); }

  function leave(event) {
    var button = exitButton();
    if (!button) { return; }  // every girl's page has one; a page without it has nothing to leave for
    if (event) { event.preventDefault(); }
    exited = true;
    blank();
    try { window.dispatchEvent(new CustomEvent("gps:quick-exit")); } catch (e) { /* old browser: nothing to close */ }
    window.location.replace(button.getAttribute("data-exit-url"));
  }

  function typing(node) {
    if (!node || node === document.body) { return false; }
    if (node.isContentEditable) { return true; }
    var tag = node.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") { return true; }
    if (tag !== "INPUT") { return false; }
    var type = (node.getAttribute("type") || "text").toLowerCase();
    return ["button", "submit", "reset", "checkbox", "radio", "image", "range", "color"].indexOf(type) < 0;
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift") { otherKey = true; return; }
    if (event.repeat) { return; }
    shiftDown = true; otherKey = false;
  }, true);

  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") { return; }
    var alone = shiftDown && !otherKey;
    shiftDown = false;
    if (!alone || typing(document.activeElement)) { return; }
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < WINDOW_MS; });
    presses.push(now);
    if (presses.length >= NEEDED) { leave(); }
  }, true);

  // A Shift held while the window lost focus never counts later.
  window.addEventListener("blur", function () { shiftDown = false; presses = []; });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && exited) { leave(); }
  });

  /* Every link inside the app replaces the page instead of adding a history entry (the language switch, the
     privacy page, "I have a code"): otherwise her inbox from before the click would wait one Back away from
     the neutral page after a quick exit, with her nickname and answers on it. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (link && link === exitButton()) { leave(event); return; }
    if (!link || link.target || link.hasAttribute("download") || event.defaultPrevented ||
        event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) { return; }
    if (link.origin !== window.location.origin) { return; }  // tel:116000 and other sites keep their own way
    event.preventDefault();
    window.location.replace(link.href);
  });
})();
