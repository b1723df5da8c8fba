/* Scale: five points, e.g. the emoji mood thermometer (app/item_types/scale). */
(function (T) {
  "use strict";
  var ui = T.ui;
  function point(item, value) { return item.config.points.filter(function (p) { return p.value === value; })[0]; }
  T.register("scale", {
    form: function (item, form, answer) {
      form.appendChild(ui.choiceList(item.id, item.config.points, false, answer ? [String(answer.value)] : []));
      form.lastChild.classList.add("scale");
      return function () { var v = ui.checkedValues(form, item.id); return v.length ? { value: Number(v[0]) } : null; };
    },
    // As the server says it: the point's number and words ("2 Rainy").
    describe: function (item, answer) {
      var p = point(item, answer.value);
      return p ? p.value + " " + p.text : String(answer.value);
    },
    results: function (box, item, agg) {
      var total = Math.max(agg.answered, 1);
      agg.points.forEach(function (a) {
        var p = point(item, a.value);
        box.appendChild(ui.bar(p ? p.emoji + " " + p.text : String(a.value), a.count, total));
      });
    },
    choices: function (item) {
      return ui.list("screen-options scale", item.config.points.map(function (p) { return p.emoji + " " + p.text; }));
    }
  });
})(GPS.itemTypes);
