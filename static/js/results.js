/* Aggregates as the dashboard and projector show them: bars with numbers (never colour alone),
   a word cloud, agree/doubt/disagree, order and red flags. Never a pseudonym. */
var GPSResults = (function () {
  "use strict";
  var el = GPSItems.el;

  function bar(label, count, total, extraClass) {
    var row = el("div", { "class": "bar-row " + (extraClass || "") });
    row.appendChild(el("span", { "class": "bar-label" }, label));
    var track = el("span", { "class": "bar-track", "aria-hidden": "true" });
    var fill = el("span", { "class": "bar-fill" });
    fill.style.width = (total ? Math.round(100 * count / total) : 0) + "%";
    track.appendChild(fill); row.appendChild(track);
    row.appendChild(el("span", { "class": "bar-count" }, String(count)));
    return row;
  }

  function optionBars(box, item, agg, solution, s) {
    var correct = solution && solution.correct ? solution.correct : [];
    var total = Math.max(agg.answered, 1);
    agg.options.forEach(function (o) {
      var text = item.config.options.filter(function (x) { return x.id === o.id; })[0];
      var isRight = correct.indexOf(o.id) >= 0;
      box.appendChild(bar((isRight ? "✓ " : "") + (text ? text.text : o.id), o.count, total, isRight ? "right" : ""));
    });
  }

  var renderers = {
    poll: optionBars,
    multi: optionBars,
    truefalse: function (box, item, agg, solution, s) {
      var total = Math.max(agg.answered, 1);
      var right = solution ? solution.answer : null;
      box.appendChild(bar((right === true ? "✓ " : "") + s.fact, agg["true"], total, right === true ? "right" : ""));
      box.appendChild(bar((right === false ? "✓ " : "") + s.fable, agg["false"], total, right === false ? "right" : ""));
    },
    scale: function (box, item, agg, solution, s) {
      var total = Math.max(agg.answered, 1);
      agg.points.forEach(function (p) {
        var point = item.config.points.filter(function (x) { return x.value === p.value; })[0];
        box.appendChild(bar(point ? point.emoji + " " + point.text : String(p.value), p.count, total));
      });
    },
    open: function (box, item, agg) {
      var list = el("ul", { "class": "texts plain" });
      agg.texts.forEach(function (text) { list.appendChild(el("li", { "class": "text-card" }, text)); });
      box.appendChild(list);
    },
    words: function (box, item, agg) {
      var cloud = el("p", { "class": "cloud" });
      var top = agg.words.length ? agg.words[0].count : 1;
      agg.words.forEach(function (w) {
        var word = el("span", { "class": "cloud-word" }, w.word);
        word.style.fontSize = (1 + 2.2 * w.count / top).toFixed(2) + "em";
        word.setAttribute("title", String(w.count));
        cloud.appendChild(word); cloud.appendChild(document.createTextNode(" "));
      });
      box.appendChild(cloud);
    },
    agree: function (box, item, agg, solution, s) {
      agg.statements.forEach(function (st) {
        var text = item.config.statements.filter(function (x) { return x.id === st.id; })[0];
        var group = el("div", { "class": "agree-row" });
        group.appendChild(el("p", { "class": "agree-text" }, text ? text.text : st.id));
        var total = Math.max(st.agree + st.doubt + st.disagree, 1);
        [["agree", s.agree], ["doubt", s.doubt], ["disagree", s.disagree]].forEach(function (k) {
          group.appendChild(bar(k[1], st[k[0]], total, k[0]));
        });
        box.appendChild(group);
      });
    },
    order: function (box, item, agg, solution, s) {
      box.appendChild(el("p", { "class": "big-number" }, agg.fully_correct + " / " + agg.answered + " " + s.fully_correct));
      var steps = solution ? solution.steps : item.config.steps;
      var total = Math.max(agg.answered, 1);
      steps.forEach(function (st, n) {
        var count = agg.steps.filter(function (x) { return x.id === st.id; })[0];
        box.appendChild(bar((solution ? (n + 1) + ". " : "") + st.text + " (" + s.correct_place + ")",
          count ? count.correct_position_count : 0, total));
      });
    },
    redflags: function (box, item, agg, solution, s) {
      var flags = solution ? solution.flags.map(function (f) { return f.id; }) : [];
      var total = Math.max(agg.answered, 1);
      item.config.chat.forEach(function (line) {
        var count = agg.lines.filter(function (x) { return x.id === line.id; })[0];
        var isFlag = flags.indexOf(line.id) >= 0;
        box.appendChild(bar((isFlag ? "🚩 " : "") + line.text, count ? count.count : 0, total, isFlag ? "right" : ""));
      });
    }
  };

  /* The projector (issue 15) reads from six metres and never scrolls: one row per statement with the three
     answers side by side in one bar, and the red-flag chat as the chat it is, each line with its count. */
  function stack(parts, total) {
    var row = el("div", { "class": "stack" });
    parts.forEach(function (p) {
      var seg = el("span", { "class": "stack-part " + p.kind, title: p.label }, p.count ? p.symbol + " " + p.count : "");
      seg.style.flexGrow = String(p.count);
      seg.setAttribute("aria-label", p.label + ": " + p.count);
      row.appendChild(seg);
    });
    if (!total) { row.appendChild(el("span", { "class": "stack-part empty" }, "0")); }
    return row;
  }

  var screenRenderers = {
    /* On the wall the least-given word is body size (never under the readable minimum) and the most-given one
       2.4 times that, whatever the spread of counts: with five girls one vote more must not blow a word up. */
    words: function (box, item, agg) {
      var cloud = el("p", { "class": "cloud" });
      var counts = agg.words.map(function (w) { return w.count; });
      var top = Math.max.apply(null, counts.concat([1])), low = Math.min.apply(null, counts.concat([top]));
      agg.words.forEach(function (w) {
        var word = el("span", { "class": "cloud-word" }, w.word);
        word.style.fontSize = (1 + 1.4 * (top > low ? (w.count - low) / (top - low) : 0.5)).toFixed(2) + "em";
        cloud.appendChild(word); cloud.appendChild(document.createTextNode(" "));
      });
      box.appendChild(cloud);
    },
    agree: function (box, item, agg, solution, s) {
      var legend = el("p", { "class": "stack-legend" });
      [["agree", "✓", s.agree], ["doubt", "?", s.doubt], ["disagree", "✗", s.disagree]].forEach(function (k) {
        legend.appendChild(el("span", { "class": "stack-key " + k[0] }, k[1] + " " + k[2]));
      });
      box.appendChild(legend);
      agg.statements.forEach(function (st) {
        var text = item.config.statements.filter(function (x) { return x.id === st.id; })[0];
        var row = el("div", { "class": "agree-row" });
        row.appendChild(el("p", { "class": "agree-text" }, text ? text.text : st.id));
        row.appendChild(stack([
          { kind: "agree", symbol: "✓", label: s.agree, count: st.agree },
          { kind: "doubt", symbol: "?", label: s.doubt, count: st.doubt },
          { kind: "disagree", symbol: "✗", label: s.disagree, count: st.disagree }], st.agree + st.doubt + st.disagree));
        box.appendChild(row);
      });
    },
    redflags: function (box, item, agg, solution, s) {
      var flags = solution ? solution.flags.map(function (f) { return f.id; }) : [];
      var chat = el("div", { "class": "screen-chat" });
      item.config.chat.forEach(function (line) {
        var count = agg.lines.filter(function (x) { return x.id === line.id; })[0];
        var n = count ? count.count : 0;
        var isFlag = flags.indexOf(line.id) >= 0;
        var bubble = el("p", { "class": "bubble " + (line.from === "me" ? "me" : "them") + (isFlag ? " flag" : "") });
        // ⚠ and ⚑ are in the common system fonts (an emoji font is not on every projector laptop).
        if (isFlag) { bubble.appendChild(el("span", { "class": "flag-mark", title: s.flagged }, "⚠")); }
        bubble.appendChild(el("span", { "class": "bubble-text" }, line.text));
        bubble.appendChild(el("span", { "class": "flag-count", "aria-label": n + " " + s.flags }, "⚑ " + n));
        chat.appendChild(bubble);
      });
      box.appendChild(chat);
    }
  };

  /* options.screen: the projector's renderers where they differ; the dashboard calls render() with five arguments. */
  function render(container, item, agg, solution, s, options) {
    container.textContent = "";
    if (!item || !agg) { return; }
    var box = el("div", { "class": "result result-" + item.type });
    var own = options && options.screen ? screenRenderers[item.type] : null;
    (own || renderers[item.type])(box, item, agg, solution, s);
    container.appendChild(box);
  }

  return { render: render };
})();
