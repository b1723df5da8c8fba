/* Poll: pick exactly one option (app/item_types/poll). */
(function (T) {
  "use strict";
  var ui = T.ui;
  T.register("poll", {
    form: function (item, form, answer) {
      var opts = item.config.options.map(function (o) { return { value: o.id, text: o.text }; });
      form.appendChild(ui.choiceList(item.id, opts, false, answer ? [answer.choice] : []));
      return function () { var v = ui.checkedValues(form, item.id); return v.length ? { choice: v[0] } : null; };
    },
    describe: function (item, answer) { return ui.textOf(item.config.options, answer.choice); },
    results: ui.optionBars,
    choices: function (item) { return ui.list("screen-options", item.config.options.map(function (o) { return o.text; })); },
    solution: function (box, item, solution) {
      box.appendChild(ui.el("p", {}, solution.correct.map(function (c) { return ui.textOf(item.config.options, c); }).join(", ")));
    }
  });
})(GPS.itemTypes);
