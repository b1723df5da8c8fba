/* Join and code pages. The forms are sent with fetch and the next page *replaces* this one in the
   history, so after a quick exit the Back button cannot lead into the app. Without JavaScript the
   forms still work as plain forms. */
(function () {
  "use strict";

  /* She opened her link again on this phone (her run's QR, her used track invitation): straight back to her inbox. */
  function alreadyJoined() {
    var mark = document.querySelector("[data-kept]");
    try {
      if (!mark || !window.localStorage.getItem(mark.getAttribute("data-kept"))) { return false; }
    } catch (e) { return false; /* storage blocked: joining works all the same */ }
    ["again-explain", "again-opening"].forEach(function (id, n) {
      var part = document.getElementById(id);
      if (part) { part.hidden = !n; }
    });
    window.location.replace(mark.getAttribute("data-inbox"));
    return true;
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
            if (next) { goOn(form, next, response.headers.get("X-GPS-Token")); return null; }
            return response.text().then(showAnswer);
          })
          .catch(function () { form.submit(); });
      });
    });
  }

  /* Joined: when the inbox is already on this page (and in the language she chose), it starts here and
     the address becomes the inbox's, without a new history entry; otherwise the next page replaces this one. */
  function goOn(form, next, token) {
    var chosen = form.querySelector("input[name=language]:checked");
    var sameLanguage = !chosen || chosen.value === document.documentElement.lang;
    if (token && window.GPSInbox && sameLanguage) {
      window.history.replaceState(null, "", next);
      document.getElementById("join-view").hidden = true;
      document.getElementById("app-view").hidden = false;
      window.scrollTo(0, 0);
      window.GPSInbox.begin(token);
      return;
    }
    window.location.replace(next);
  }

  function showAnswer(html) {
    // The server answered with the same page and a message (a taken pseudonym, a wrong code): show it in place.
    var id = document.getElementById("join-view") ? "join-view" : "main";
    var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(id);
    var main = document.getElementById(id);
    if (!fresh || !main) { document.location.reload(); return; }
    main.innerHTML = fresh.innerHTML;
    bindChips(); bindForms();
    var alert = main.querySelector("[role=alert]");
    if (alert) { alert.setAttribute("tabindex", "-1"); alert.focus(); }
  }

  if (!alreadyJoined()) { bindChips(); bindForms(); }
})();
