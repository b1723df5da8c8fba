/* Put the steps in order (app/item_types/order). */
(function (T) {
  "use strict";
  var ui = T.ui, el = ui.el;
  T.register("order", {
    form: function (item, form, answer, s) {
      var byId = {}; item.config.steps.forEach(function (st) { byId[st.id] = st; });
      var known = item.config.steps.map(function (st) { return st.id; });
      var order = answer && answer.order && answer.order.length === known.length ? answer.order.slice() : known;
      var list = el("ol", { "class": "order" });
      function draw(focusId, dir) {
        list.textContent = "";
        order.forEach(function (id, n) {
          var li = el("li", { "class": "order-step" });
          // The list's own numbers vanish in a flex row: the step number is written out (the list still tells
          // a screen reader the position, so the visible number is hidden from it).
          li.appendChild(el("span", { "class": "order-number", "aria-hidden": "true" }, String(n + 1)));
          li.appendChild(el("span", { "class": "order-text" }, byId[id].text));
          [["up", -1, "↑", s.move_up], ["down", 1, "↓", s.move_down]].forEach(function (b) {
            var button = el("button", { type: "button", "class": "button small", "aria-label": s.move_up && (b[3] + ": " + byId[id].text),
              "data-move": b[0] + "-" + id }, b[2]);
            button.disabled = (b[1] < 0 && n === 0) || (b[1] > 0 && n === order.length - 1);
            button.addEventListener("click", function () {
              var to = n + b[1]; order.splice(n, 1); order.splice(to, 0, id); draw(id, b[0]);
            });
            li.appendChild(button);
          });
          list.appendChild(li);
        });
        form.dispatchEvent(new Event("change"));  // a move is an edit: keep the draft
        if (focusId) {
          var again = list.querySelector("[data-move='" + dir + "-" + focusId + "']");
          if (again && !again.disabled) { again.focus(); } else {
            var other = list.querySelector("[data-move='" + (dir === "up" ? "down" : "up") + "-" + focusId + "']");
            if (other) { other.focus(); }
          }
        }
      }
      draw(); form.appendChild(list);
      return function () { return { order: order.slice() }; };
    },
    describe: function (item, answer) {
      return answer.order.map(function (id) { return ui.textOf(item.config.steps, id); }).join(" → ");
    },
    results: function (box, item, agg, solution, s) {
      box.appendChild(el("p", { "class": "big-number" }, agg.fully_correct + " / " + agg.answered + " " + s.fully_correct));
      var steps = solution ? solution.steps : item.config.steps;
      var total = Math.max(agg.answered, 1);
      steps.forEach(function (st, n) {
        var count = agg.steps.filter(function (x) { return x.id === st.id; })[0];
        box.appendChild(ui.bar((solution ? (n + 1) + ". " : "") + st.text + " (" + s.correct_place + ")",
          count ? count.correct_position_count : 0, total));
      });
    },
    choices: function (item) { return ui.list("screen-steps", item.config.steps.map(function (st) { return st.text; })); },
    solution: function (box, item, solution) {
      var ol = el("ol"); solution.steps.forEach(function (st) { ol.appendChild(el("li", {}, st.text)); });
      box.appendChild(ol);
      if (solution.why) { box.appendChild(el("p", {}, solution.why)); }
    }
  });
})(GPS.itemTypes);
