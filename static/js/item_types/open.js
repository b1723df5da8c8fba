/* Open question: a short free text (app/item_types/open). */
(function (T) {
  "use strict";
  var ui = T.ui;
  function texts(box, item, agg) {
    var list = ui.el("ul", { "class": "texts plain" });
    agg.texts.forEach(function (text) { list.appendChild(ui.el("li", { "class": "text-card" }, text)); });
    box.appendChild(list);
  }
  T.register("open", {
    form: function (item, form, answer, s) {
      var id = "t-" + item.id, max = item.config.max_length || 280;
      var area = ui.el("textarea", { id: id, maxlength: String(max), "aria-label": item.question, rows: "4" });
      area.value = answer && answer.text ? answer.text : "";
      var counter = ui.el("p", { "class": "small", "aria-live": "polite" });
      function count() { counter.textContent = (max - area.value.length) + " " + s.chars_left; }
      area.addEventListener("input", count); count();
      form.appendChild(area); form.appendChild(counter);
      return function () { return area.value.trim() ? { text: area.value.trim() } : null; };
    },
    describe: function (item, answer) { return answer.text; },
    results: texts,
    // On the wall only what her counsellor approved is shown: until then a word on why it is empty.
    screen: function (box, item, agg, solution, s) {
      texts(box, item, agg);
      if (!agg.texts.length) { box.appendChild(ui.el("p", { "class": "screen-hint" }, s.nothing_approved)); }
    },
    choices: function (item, s) { return ui.el("p", { "class": "screen-hint" }, s.on_phone); }
  });
})(GPS.itemTypes);
