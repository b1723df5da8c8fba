/* Track invitation page: a tapped suggestion fills the pseudonym field. */
(function () {
  "use strict";
  var input = document.getElementById("pseudonym");
  document.querySelectorAll("[data-pseudonym]").forEach(function (chip) {
    chip.addEventListener("click", function () { input.value = chip.getAttribute("data-pseudonym"); input.focus(); });
  });
})();
