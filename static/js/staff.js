/* Small helpers on staff pages: the print button and confirmations before destructive forms. */
(function () {
  "use strict";
  var print = document.getElementById("print");
  if (print) { print.addEventListener("click", function () { window.print(); }); }
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
})();
