/* Aggregates as the dashboard and projector show them; never a pseudonym. The chart is the type's own
   (static/js/item_types/<type>.js: results, and screen where the projector's differs). */
var GPSResults = (function () {
  "use strict";
  var types = GPS.itemTypes, el = types.ui.el;

  /* options.screen: the projector's chart where the type has one; the dashboard calls render() with five arguments. */
  function render(container, item, agg, solution, s, options) {
    container.textContent = "";
    var type = item && types.get(item.type);
    if (!type || !agg) { return; }
    var box = el("div", { "class": "result result-" + item.type });
    var own = options && options.screen ? type.screen : null;
    (own || type.results)(box, item, agg, solution, s);
    container.appendChild(box);
  }

  return { render: render };
})();
