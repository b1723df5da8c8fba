/* The item types on a phone: the answer controls, her answer, and what the reveal shows.
   Everything is built with textContent: whatever anyone typed stays text. */
var GPSItems = (function () {
  "use strict";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
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

  var builders = {
    poll: function (item, form, answer, s) {
      var opts = item.config.options.map(function (o) { return { value: o.id, text: o.text }; });
      form.appendChild(choiceList(item.id, opts, false, answer ? [answer.choice] : []));
      return function () { var v = checkedValues(form, item.id); return v.length ? { choice: v[0] } : null; };
    },
    multi: function (item, form, answer, s) {
      var opts = item.config.options.map(function (o) { return { value: o.id, text: o.text }; });
      form.appendChild(choiceList(item.id, opts, true, answer && answer.choices ? answer.choices : []));
      return function () { var v = checkedValues(form, item.id); return v.length ? { choices: v } : null; };
    },
    truefalse: function (item, form, answer, s) {
      var opts = [{ value: "true", text: s.fact }, { value: "false", text: s.fable }];
      form.appendChild(choiceList(item.id, opts, false, answer ? [String(answer.choice)] : []));
      return function () { var v = checkedValues(form, item.id); return v.length ? { choice: v[0] === "true" } : null; };
    },
    scale: function (item, form, answer, s) {
      form.appendChild(choiceList(item.id, item.config.points, false, answer ? [String(answer.value)] : []));
      form.lastChild.classList.add("scale");
      return function () { var v = checkedValues(form, item.id); return v.length ? { value: Number(v[0]) } : null; };
    },
    open: function (item, form, answer, s) {
      var id = "t-" + item.id, max = item.config.max_length || 280;
      var area = el("textarea", { id: id, maxlength: String(max), "aria-label": item.question, rows: "4" });
      area.value = answer && answer.text ? answer.text : "";
      var counter = el("p", { "class": "small", "aria-live": "polite" });
      function count() { counter.textContent = (max - area.value.length) + " " + s.chars_left; }
      area.addEventListener("input", count); count();
      form.appendChild(area); form.appendChild(counter);
      return function () { return area.value.trim() ? { text: area.value.trim() } : null; };
    },
    words: function (item, form, answer, s) {
      var max = item.config.max_words || 3, inputs = [];
      form.appendChild(el("p", { "class": "small" }, s.words_hint));
      for (var i = 0; i < max; i++) {
        var input = el("input", { type: "text", maxlength: String(item.config.max_chars || 20), autocomplete: "off", "data-word": String(i),
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
    agree: function (item, form, answer, s) {
      var choices = [{ value: "agree", text: s.agree }, { value: "doubt", text: s.doubt }, { value: "disagree", text: s.disagree }];
      item.config.statements.forEach(function (statement) {
        var box = el("fieldset", { "class": "statement" });
        var legendId = "st-" + item.id + "-" + statement.id;
        box.appendChild(el("legend", { id: legendId }, statement.text));
        var chosen = answer && answer.votes && answer.votes[statement.id] ? [answer.votes[statement.id]] : [];
        var list = choiceList(item.id + "-" + statement.id, choices, false, chosen);
        list.classList.add("three");
        list.setAttribute("aria-labelledby", legendId);
        box.appendChild(list); form.appendChild(box);
      });
      form.gpsDraft = function () {  // the statements she already voted on, even before all are done
        var votes = {};
        item.config.statements.forEach(function (st) {
          var v = checkedValues(form, item.id + "-" + st.id);
          if (v.length) { votes[st.id] = v[0]; }
        });
        return { votes: votes };
      };
      return function () {
        var votes = {}, complete = true;
        item.config.statements.forEach(function (st) {
          var v = checkedValues(form, item.id + "-" + st.id);
          if (v.length) { votes[st.id] = v[0]; } else { complete = false; }
        });
        return complete ? { votes: votes } : null;
      };
    },
    order: function (item, form, answer, s) {
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
    redflags: function (item, form, answer, s) {
      var chosen = answer && answer.flags ? answer.flags.slice() : [];
      form.appendChild(el("p", { "class": "small" }, s.tap_flags));
      var chat = el("div", { "class": "chat" });
      item.config.chat.forEach(function (line) {
        var bubble = el("button", { type: "button", "class": "bubble " + line.from,
          "aria-pressed": chosen.indexOf(line.id) >= 0 ? "true" : "false" });
        bubble.appendChild(el("span", { "class": "visually-hidden" }, (line.from === "me" ? s.you : s.them) + ": "));
        bubble.appendChild(el("span", {}, line.text));
        bubble.addEventListener("click", function () {
          var on = bubble.getAttribute("aria-pressed") !== "true";
          bubble.setAttribute("aria-pressed", on ? "true" : "false");
          if (on) { chosen.push(line.id); } else { chosen.splice(chosen.indexOf(line.id), 1); }
          form.dispatchEvent(new Event("change"));
        });
        chat.appendChild(bubble);
      });
      form.appendChild(chat);
      return function () { return { flags: chosen.slice() }; };
    }
  };

  function optionText(item, id) {
    var found = (item.config.options || []).filter(function (o) { return o.id === id; })[0];
    return found ? found.text : id;
  }

  function describeAnswer(item, answer, s) {
    if (!answer) { return ""; }
    if (answer.skip) { return s.skipped; }
    switch (item.type) {
      case "poll": return optionText(item, answer.choice);
      case "multi": return answer.choices.map(function (c) { return optionText(item, c); }).join(", ");
      case "truefalse": return answer.choice ? s.fact : s.fable;
      case "scale": return item.config.points.filter(function (p) { return p.value === answer.value; })
        .map(function (p) { return p.emoji + " " + p.text; })[0] || String(answer.value);
      case "open": return answer.text;
      case "words": return answer.words.join(", ");
      // "statement → vote": statements end in a full stop, so "text: vote" read as ".:" (the server says the same)
      case "agree": return item.config.statements.map(function (st) { return st.text + " → " + s[answer.votes[st.id]]; }).join(" · ");
      case "order": return answer.order.map(function (id) {
        return item.config.steps.filter(function (st) { return st.id === id; })[0].text; }).join(" → ");
      case "redflags": return answer.flags.length + " × " + s.flagged;
    }
    return "";
  }

  function solutionBlock(item, solution, s) {
    if (!solution) { return null; }
    var box = el("div", { "class": "solution" });
    box.appendChild(el("h3", {}, s.right_answer));
    if (item.type === "poll" || item.type === "multi") {
      box.appendChild(el("p", {}, solution.correct.map(function (c) { return optionText(item, c); }).join(", ")));
    } else if (item.type === "truefalse") {
      box.appendChild(el("p", { "class": "strong" }, solution.answer ? s.fact : s.fable));
      box.appendChild(el("p", {}, solution.why));
    } else if (item.type === "order") {
      var ol = el("ol"); solution.steps.forEach(function (st) { ol.appendChild(el("li", {}, st.text)); });
      box.appendChild(ol);
      if (solution.why) { box.appendChild(el("p", {}, solution.why)); }
    } else if (item.type === "redflags") {
      var ul = el("ul");
      solution.flags.forEach(function (flag) {
        var line = item.config.chat.filter(function (c) { return c.id === flag.id; })[0];
        var li = el("li"); li.appendChild(el("strong", {}, "“" + (line ? line.text : flag.id) + "”"));
        li.appendChild(el("span", {}, " " + flag.why)); ul.appendChild(li);
      });
      box.appendChild(ul);
    }
    return box;
  }

  /* The answer form of one item: its type's controls, Send and "I'd rather not answer".
     onSubmit(payload, problemElement) is called with a valid-looking payload or {skip: true}.
     options (all optional): labelledBy — id of the question heading that names the answer group;
     draft — what she had typed before (restored instead of her sent answer); onDraft(draft) — called on every edit;
     refused — {code, index} of the server's last refusal, shown on the form (index: the refused word). */
  function answerForm(item, answer, s, onSubmit, options) {
    options = options || {};
    var form = el("form", { "class": "answer", novalidate: "novalidate" });
    var start = options.draft || (answer && !answer.skip ? answer : null);
    var collect = builders[item.type](item, form, start, s);
    if (options.labelledBy) {
      form.querySelectorAll("[role=radiogroup]:not([aria-labelledby]), [role=group]:not([aria-labelledby])")
        .forEach(function (group) { group.setAttribute("aria-labelledby", options.labelledBy); });
    }
    var problem = el("p", { "class": "field-error", role: "alert", id: "problem-" + item.id });
    var actions = el("div", { "class": "actions" });
    actions.appendChild(el("button", { type: "submit", "class": "button primary wide" }, s.send));
    var skip = el("button", { type: "button", "class": "button wide skip" }, s.skip);
    actions.appendChild(skip);
    form.appendChild(problem); form.appendChild(actions);
    var draft = function () { return form.gpsDraft ? form.gpsDraft() : collect(); };
    if (options.onDraft) {
      ["input", "change"].forEach(function (kind) {
        form.addEventListener(kind, function () { options.onDraft(draft()); });
      });
    }
    if (options.refused) { showRefusal(form, problem, options.refused, s); }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var payload = collect();
      if (!payload) { problem.textContent = s.pick_one; return; }
      if (options.onDraft) { options.onDraft(draft()); }
      onSubmit(payload, problem);
    });
    skip.addEventListener("click", function () { onSubmit({ skip: true }, problem); });
    return form;
  }

  /* The server refused her answer: say why; a refused word is marked in its own box, the others stay as typed. */
  function showRefusal(form, problem, refused, s) {
    var message = (s.errors && s.errors[refused.code]) || (s.errors && s.errors["default"]) || "";
    var boxes = Array.prototype.slice.call(form.querySelectorAll("[data-word]"));
    var filled = boxes.filter(function (box) { return box.value.trim(); });
    var box = typeof refused.index === "number" ? filled[refused.index] : null;
    if (box) {
      box.setAttribute("aria-invalid", "true");
      box.setAttribute("aria-describedby", problem.id);
      box.classList.add("refused");
      message = (s.word || "%(n)s").replace("%(n)s", Number(box.getAttribute("data-word")) + 1) + ": " + message;
    }
    problem.textContent = message;
  }

  return { el: el, builders: builders, describeAnswer: describeAnswer, solutionBlock: solutionBlock,
           answerForm: answerForm };
})();
