/* Word cloud: one to three short words (app/item_types/words). */
(function (T) {
  "use strict";
  var ui = T.ui;
  // size(count) → em; the dashboard also puts each count in a tooltip.
  function cloud(box, agg, size, titled) {
    var p = ui.el("p", { "class": "cloud" });
    agg.words.forEach(function (w) {
      var word = ui.el("span", { "class": "cloud-word" }, w.word);
      word.style.fontSize = size(w.count).toFixed(2) + "em";
      if (titled) { word.setAttribute("title", String(w.count)); }
      p.appendChild(word); p.appendChild(document.createTextNode(" "));
    });
    box.appendChild(p);
  }
  T.register("words", {
    form: function (item, form, answer, s) {
      var max = item.config.max_words || 3, inputs = [];
      form.appendChild(ui.el("p", { "class": "small" }, s.words_hint));
      for (var i = 0; i < max; i++) {
        var input = ui.el("input", { type: "text", maxlength: String(item.config.max_chars || 20), autocomplete: "off", "data-word": String(i),
          "aria-label": (s.word || "%(n)s").replace("%(n)s", i + 1) + ": " + item.question });
        input.value = answer && answer.words[i] ? answer.words[i] : "";
        inputs.push(input); form.appendChild(input);
      }
      // A draft keeps every box in its place (empty ones too), so a refused word can be marked where she typed it.
      form.gpsDraft = function () { return { words: inputs.map(function (x) { return x.value; }) }; };
      return function () {
        var words = inputs.map(function (x) { return x.value.trim(); }).filter(Boolean);
        return words.length ? { words: words } : null;
      };
    },
    describe: function (item, answer) { return answer.words.join(", "); },
    results: function (box, item, agg) {
      var top = agg.words.length ? agg.words[0].count : 1;
      cloud(box, agg, function (count) { return 1 + 2.2 * count / top; }, true);
    },
    /* On the wall the least-given word is body size (never under the readable minimum) and the most-given one
       2.4 times that, whatever the spread of counts: with five girls one vote more must not blow a word up. */
    screen: function (box, item, agg, solution, s) {
      var counts = agg.words.map(function (w) { return w.count; });
      var top = Math.max.apply(null, counts.concat([1])), low = Math.min.apply(null, counts.concat([top]));
      cloud(box, agg, function (count) { return 1 + 1.4 * (top > low ? (count - low) / (top - low) : 0.5); });
      // Only what her counsellor approved is shown: until then a word on why it is empty.
      if (!agg.words.length) { box.appendChild(ui.el("p", { "class": "screen-hint" }, s.nothing_approved)); }
    },
    choices: function (item, s) { return ui.el("p", { "class": "screen-hint" }, s.words_on_phone); }
  });
})(GPS.itemTypes);
