/* Join page: back to the inbox when this phone already joined; a tapped suggestion fills the field. */
(function () {
  "use strict";
  var form = document.getElementById("join-form");
  var input = document.getElementById("pseudonym");
  try {
    // Already in this run on this phone (she scanned the QR again): straight back to her inbox.
    if (window.localStorage.getItem("gps:" + form.getAttribute("data-run"))) {
      window.location.replace(form.getAttribute("data-inbox"));
      return;
    }
  } catch (e) { /* storage blocked: joining works all the same */ }
  document.querySelectorAll("[data-pseudonym]").forEach(function (chip) {
    chip.addEventListener("click", function () {
      input.value = chip.getAttribute("data-pseudonym");
      input.focus();
    });
  });
})();
