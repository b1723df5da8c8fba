/* The frame around an item on a phone: Send, "I'd rather not answer", a refusal, her answer, the reveal.
   What differs by type (the controls, the words of her answer, the right answer) is the type's own
   (static/js/item_types/<type>.js, looked up in GPS.itemTypes). Everything is built with textContent. */
var GPSItems = (function () {
  "use strict";

  var types = GPS.itemTypes, el = types.ui.el;

  /* Her answer as text: the type's describe (a port of the server's, so the phone says what the report
     says), or this page's own word for a skip. */
  function describeAnswer(item, answer, s) {
    if (!answer) { return ""; }
    if (answer.skip) { return s.skipped; }
    var type = types.get(item.type);
    return type ? type.describe(item, answer, types.wordsOf(item.type)) : "";
  }

  function solutionBlock(item, solution, s) {
    var type = types.get(item.type);
    if (!solution || !type || !type.solution) { return null; }
    var box = el("div", { "class": "solution" });
    box.appendChild(el("h3", {}, s.right_answer));
    type.solution(box, item, solution, s);
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
    var collect = types.get(item.type).form(item, form, start, s);
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

  return { el: el, describeAnswer: describeAnswer, solutionBlock: solutionBlock, answerForm: answerForm };
})();
