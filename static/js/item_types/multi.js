/* Several choices: pick one or more options (app/item_types/multi). */
(function (T) {
  "use strict";
  var ui = T.ui;
  T.register("multi", {
    form: function (item, form, answer) {
      var opts = item.config.options.map(function (o) { return { value: o.id, text: o.text }; });
      form.appendChild(ui.choiceList(item.id, opts, true, answer && answer.choices ? answer.choices : []));
      return function () { var v = ui.checkedValues(form, item.id); return v.length ? { choices: v } : null; };
    },
    describe: function (item, answer) {
      return answer.choices.map(function (c) { return ui.textOf(item.config.options, c); }).join(", ");
    },
    results: ui.optionBars,
    choices: function (item) { return ui.list("screen-options", item.config.options.map(function (o) { return o.text; })); },
    solution: function (box, item, solution) {
      box.appendChild(ui.el("p", {}, solution.correct.map(function (c) { return ui.textOf(item.config.options, c); }).join(", ")));
    }
  });
})(GPS.itemTypes);
