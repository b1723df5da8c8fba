/* The item types in the browser. Each static/js/item_types/<type>.js registers its parts here:
     form(item, form, answer, s)        the phone's controls; returns collect() → payload or null
     describe(item, answer, words)      her answer in words, as the server's describe says it (app/item_types/<type>)
     results(box, item, agg, solution, s)   the dashboard's chart
     choices(item, s)                   what the projector shows while the girls answer
   and, where the type has them: screen(...) (the projector's chart, when it differs) and
   solution(box, item, solution, s) (the right answer after the reveal).
   items.js and results.js are the shared frame and look a type up here. This file comes first, then the
   type files (templates/_item_type_scripts.html keeps that order in one place).
   Everything is built with textContent: whatever anyone typed stays text. */
var GPS = window.GPS || {};
GPS.itemTypes = (function () {
  "use strict";
  var REQUIRED = ["form", "describe", "results", "choices"];
  var types = {}, words = null;

  function register(name, parts) {
    REQUIRED.forEach(function (part) {
      if (typeof parts[part] !== "function") { throw new Error("item type " + name + " lacks " + part); }
    });
    types[name] = parts;
  }

  function get(name) { return types[name] || null; }

  /* The words the server's describe uses (truefalse: Fact/Fable…), in the page's language: the data block
     of _item_type_scripts.html, so the phone says what the report says. */
  function wordsOf(name) {
    if (!words) {
      var node = document.getElementById("item-type-words");
      words = node ? JSON.parse(node.textContent) : {};
    }
    return words[name] || {};
  }

  // --- shared by the type files ---------------------------------------------------------------------
  var el = GPS.core.el;  // core.js comes first on every page with item types (templates/_core_scripts.html)

  /* The text of the entry with this id (an option, statement, step or chat line), or the id itself:
     an answer may outlive a content change, and the server's describe falls back the same way. */
  function textOf(entries, id) {
    var found = (entries || []).filter(function (e) { return e.id === id; })[0];
    return found ? found.text : id;
  }

  function choiceList(name, options, multiple, chosen) {
    // Named by answerForm (aria-labelledby the question), or by its statement's legend.
    var group = el("div", { "class": "options", role: multiple ? "group" : "radiogroup" });
    options.forEach(function (option) {
      var label = el("label", { "class": "option" });
      var input = el("input", { type: multiple ? "checkbox" : "radio", name: name, value: String(option.value) });
      if (chosen.indexOf(String(option.value)) >= 0) { input.checked = true; }
      label.appendChild(input);
      if (option.emoji) { label.appendChild(el("span", { "class": "emoji", "aria-hidden": "true" }, option.emoji)); }
      label.appendChild(el("span", {}, option.text));
      group.appendChild(label);
    });
    return group;
  }

  function checkedValues(form, name) {
    return Array.prototype.map.call(form.querySelectorAll("input[name='" + name + "']:checked"),
      function (input) { return input.value; });
  }

  // A bar with its number (never colour alone).
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

  // Poll and several choices: a bar per option, the right ones ticked after the reveal.
  function optionBars(box, item, agg, solution) {
    var correct = solution && solution.correct ? solution.correct : [];
    var total = Math.max(agg.answered, 1);
    agg.options.forEach(function (o) {
      var isRight = correct.indexOf(o.id) >= 0;
      box.appendChild(bar((isRight ? "✓ " : "") + textOf(item.config.options, o.id), o.count, total, isRight ? "right" : ""));
    });
  }

  // A plain list of texts on the projector.
  function list(className, texts) {
    var ul = el("ul", { "class": "plain " + className });
    texts.forEach(function (t) { ul.appendChild(el("li", {}, t)); });
    return ul;
  }

  return { register: register, get: get, wordsOf: wordsOf, names: function () { return Object.keys(types); },
           ui: { el: el, textOf: textOf, choiceList: choiceList, checkedValues: checkedValues, bar: bar, optionBars: optionBars,
                 list: list } };
})();
