/* Red flags: tap the chat lines that are warning signs (app/item_types/redflags). */
(function (T) {
  "use strict";
  var ui = T.ui, el = ui.el;
  function flagIds(solution) { return solution ? solution.flags.map(function (f) { return f.id; }) : []; }
  function countOf(agg, id) { var c = agg.lines.filter(function (x) { return x.id === id; })[0]; return c ? c.count : 0; }

  T.register("redflags", {
    form: function (item, form, answer, s) {
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
    },
    // The lines she tapped; "(none)" when she looked and found none (the server's words).
    describe: function (item, answer, words) {
      return answer.flags.map(function (id) { return ui.textOf(item.config.chat, id); }).join("; ") || words.none;
    },
    results: function (box, item, agg, solution) {
      var flags = flagIds(solution), total = Math.max(agg.answered, 1);
      item.config.chat.forEach(function (line) {
        var isFlag = flags.indexOf(line.id) >= 0;
        box.appendChild(ui.bar((isFlag ? "🚩 " : "") + line.text, countOf(agg, line.id), total, isFlag ? "right" : ""));
      });
    },
    // On the wall: the chat as the chat it is, each line with its count.
    screen: function (box, item, agg, solution, s) {
      var flags = flagIds(solution);
      var chat = el("div", { "class": "screen-chat" });
      item.config.chat.forEach(function (line) {
        var n = countOf(agg, line.id), isFlag = flags.indexOf(line.id) >= 0;
        var bubble = el("p", { "class": "bubble " + (line.from === "me" ? "me" : "them") + (isFlag ? " flag" : "") });
        // ⚠ and ⚑ are in the common system fonts (an emoji font is not on every projector laptop).
        if (isFlag) { bubble.appendChild(el("span", { "class": "flag-mark", title: s.flagged }, "⚠")); }
        bubble.appendChild(el("span", { "class": "bubble-text" }, line.text));
        bubble.appendChild(el("span", { "class": "flag-count", "aria-label": n + " " + s.flags }, "⚑ " + n));
        chat.appendChild(bubble);
      });
      box.appendChild(chat);
    },
    choices: function (item) {
      var chat = el("div", { "class": "screen-chat" });
      item.config.chat.forEach(function (line) {
        var bubble = el("p", { "class": "bubble " + (line.from === "me" ? "me" : "them") });
        bubble.appendChild(el("span", { "class": "bubble-text" }, line.text));
        chat.appendChild(bubble);
      });
      return chat;
    },
    solution: function (box, item, solution) {
      var ul = el("ul");
      solution.flags.forEach(function (flag) {
        var li = el("li"); li.appendChild(el("strong", {}, "“" + ui.textOf(item.config.chat, flag.id) + "”"));
        li.appendChild(el("span", {}, " " + flag.why)); ul.appendChild(li);
      });
      box.appendChild(ul);
    }
  });
})(GPS.itemTypes);
