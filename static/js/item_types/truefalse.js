/* Fact or fable: is the statement true? (app/item_types/truefalse) */
(function (T) {
  "use strict";
  var ui = T.ui;
  T.register("truefalse", {
    form: function (item, form, answer, s) {
      var opts = [{ value: "true", text: s.fact }, { value: "false", text: s.fable }];
      form.appendChild(ui.choiceList(item.id, opts, false, answer ? [String(answer.choice)] : []));
      return function () { var v = ui.checkedValues(form, item.id); return v.length ? { choice: v[0] === "true" } : null; };
    },
    describe: function (item, answer, words) { return answer.choice ? words.fact : words.fable; },
    results: function (box, item, agg, solution, s) {
      var total = Math.max(agg.answered, 1);
      var right = solution ? solution.answer : null;
      box.appendChild(ui.bar((right === true ? "✓ " : "") + s.fact, agg["true"], total, right === true ? "right" : ""));
      box.appendChild(ui.bar((right === false ? "✓ " : "") + s.fable, agg["false"], total, right === false ? "right" : ""));
    },
    choices: function (item, s) { return ui.list("screen-options two", [s.fact, s.fable]); },
    solution: function (box, item, solution, s) {
      box.appendChild(ui.el("p", { "class": "strong" }, solution.answer ? s.fact : s.fable));
      box.appendChild(ui.el("p", {}, solution.why));
    }
  });
})(GPS.itemTypes);
