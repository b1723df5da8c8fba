/* Agree, not sure or disagree on each statement (app/item_types/agree). */
(function (T) {
  "use strict";
  var ui = T.ui;
  var VOTES = ["agree", "doubt", "disagree"], SYMBOLS = { agree: "✓", doubt: "?", disagree: "✗" };

  function votesOf(form, item) {  // the statements she voted on so far
    var votes = {};
    item.config.statements.forEach(function (st) {
      var v = ui.checkedValues(form, item.id + "-" + st.id);
      if (v.length) { votes[st.id] = v[0]; }
    });
    return votes;
  }

  /* The projector (issue 15) reads from six metres and never scrolls: one row per statement with the three
     answers side by side in one bar. */
  function stack(st, s) {
    var row = ui.el("div", { "class": "stack" }), total = st.agree + st.doubt + st.disagree;
    VOTES.forEach(function (kind) {
      var count = st[kind];
      var seg = ui.el("span", { "class": "stack-part " + kind, title: s[kind] }, count ? SYMBOLS[kind] + " " + count : "");
      seg.style.flexGrow = String(count);
      seg.setAttribute("aria-label", s[kind] + ": " + count);
      row.appendChild(seg);
    });
    if (!total) { row.appendChild(ui.el("span", { "class": "stack-part empty" }, "0")); }
    return row;
  }

  T.register("agree", {
    form: function (item, form, answer, s) {
      var choices = VOTES.map(function (v) { return { value: v, text: s[v] }; });
      item.config.statements.forEach(function (statement) {
        var box = ui.el("fieldset", { "class": "statement" });
        var legendId = "st-" + item.id + "-" + statement.id;
        box.appendChild(ui.el("legend", { id: legendId }, statement.text));
        var chosen = answer && answer.votes && answer.votes[statement.id] ? [answer.votes[statement.id]] : [];
        var list = ui.choiceList(item.id + "-" + statement.id, choices, false, chosen);
        list.classList.add("three");
        list.setAttribute("aria-labelledby", legendId);
        box.appendChild(list); form.appendChild(box);
      });
      form.gpsDraft = function () { return { votes: votesOf(form, item) }; };  // even before all are done
      return function () {
        var votes = votesOf(form, item);
        return Object.keys(votes).length === item.config.statements.length ? { votes: votes } : null;
      };
    },
    // "statement → vote", in the order of her stored answer, as the server's describe.
    describe: function (item, answer, words) {
      return Object.keys(answer.votes).map(function (sid) {
        return ui.textOf(item.config.statements, sid) + " → " + (words[answer.votes[sid]] || answer.votes[sid]);
      }).join(" · ");
    },
    results: function (box, item, agg, solution, s) {
      agg.statements.forEach(function (st) {
        var group = ui.el("div", { "class": "agree-row" });
        group.appendChild(ui.el("p", { "class": "agree-text" }, ui.textOf(item.config.statements, st.id)));
        var total = Math.max(st.agree + st.doubt + st.disagree, 1);
        VOTES.forEach(function (kind) { group.appendChild(ui.bar(s[kind], st[kind], total, kind)); });
        box.appendChild(group);
      });
    },
    screen: function (box, item, agg, solution, s) {
      var legend = ui.el("p", { "class": "stack-legend" });
      VOTES.forEach(function (kind) { legend.appendChild(ui.el("span", { "class": "stack-key " + kind }, SYMBOLS[kind] + " " + s[kind])); });
      box.appendChild(legend);
      agg.statements.forEach(function (st) {
        var row = ui.el("div", { "class": "agree-row" });
        row.appendChild(ui.el("p", { "class": "agree-text" }, ui.textOf(item.config.statements, st.id)));
        row.appendChild(stack(st, s));
        box.appendChild(row);
      });
    },
    choices: function (item) { return ui.list("screen-statements", item.config.statements.map(function (st) { return st.text; })); }
  });
})(GPS.itemTypes);
