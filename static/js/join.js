/* Join and code pages. The forms are sent with fetch and the next page *replaces* this one in the
   history, so after a quick exit the Back button cannot lead into the app. Without JavaScript the
   forms still work as plain forms. */
(function () {
  "use strict";

  function alreadyJoined() {
    var form = document.getElementById("join-form");
    if (!form) { return false; }
    try {
      // She scanned the QR again on this phone: straight back to her inbox.
      if (window.localStorage.getItem("gps:" + form.getAttribute("data-run"))) {
        window.location.replace(form.getAttribute("data-inbox"));
        return true;
      }
    } catch (e) { /* storage blocked: joining works all the same */ }
    return false;
  }

  function bindChips() {
    var input = document.getElementById("pseudonym");
    document.querySelectorAll("[data-pseudonym]").forEach(function (chip) {
      chip.addEventListener("click", function () { input.value = chip.getAttribute("data-pseudonym"); input.focus(); });
    });
  }

  function bindForms() {
    document.querySelectorAll("form[data-replace]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var button = form.querySelector("button[type=submit]");
        if (button) { button.disabled = true; }
        fetch(form.action || window.location.href, { method: "POST", body: new FormData(form), credentials: "same-origin",
                                                      headers: { "X-GPS-Replace": "1" } })
          .then(function (response) {
            var next = response.headers.get("X-GPS-Next");
            if (next) { window.location.replace(next); return null; }
            return response.text().then(showAnswer);
          })
          .catch(function () { form.submit(); });
      });
    });
  }

  function showAnswer(html) {
    // The server answered with the same page and a message (a taken pseudonym, a wrong code): show it in place.
    var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("main");
    var main = document.getElementById("main");
    if (!fresh || !main) { document.location.reload(); return; }
    main.innerHTML = fresh.innerHTML;
    bindChips(); bindForms();
    var alert = main.querySelector("[role=alert]");
    if (alert) { alert.setAttribute("tabindex", "-1"); alert.focus(); }
  }

  if (!alreadyJoined()) { bindChips(); bindForms(); }
})();
