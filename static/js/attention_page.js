/* The attention page (issue 13): the list of what needs her, redrawn from every state attention.js receives
   (`gps:attention`); a low check-in is marked seen here. The live region and the sound are attention.js's. */
(function () {
  "use strict";
  var S = JSON.parse(document.getElementById("attention-page-strings").textContent);
  var el = GPS.core.el;
  var $ = function (id) { return document.getElementById(id); };
  var when = new Intl.DateTimeFormat(document.documentElement.lang || undefined,
    { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });

  function draw(state) {
    var focusWasInList = $("attention-page").contains(document.activeElement) && document.activeElement.closest(".attention-list");
    $("attention-empty").hidden = state.count > 0;
    ["signal", "messages", "checkin", "idle"].forEach(function (kind) {
      var rows = state.items.filter(function (row) { return row.kind === kind; });
      var group = $("attention-" + kind), list = group.querySelector(".attention-list");
      group.hidden = !rows.length;
      group.querySelector("[data-count]").textContent = String(rows.length);
      list.textContent = "";
      rows.forEach(function (row) { list.appendChild(item(row)); });
    });
    if (focusWasInList) { keepFocus(); }
  }

  /* The item she just marked seen is gone: focus goes to the first button left in the list, else the heading. */
  function keepFocus() {
    var next = document.querySelector("#attention-page .attention-list button, #attention-page .attention-list a");
    (next || $("attention-title")).focus();
  }

  function item(row) {
    var li = el("li", { "class": "attention-item attention-" + row.kind });
    var text = el("div", { "class": "attention-text" });
    var what = el("p", {});
    what.appendChild(el("strong", {}, window.GPSAttention ? GPSAttention.describe(row) : row.pseudonym));
    text.appendChild(what);
    var where = row.squad + (row.module !== undefined && row.module !== null ? " · " + GPS.core.format(S.module, { n: row.module }) : "");
    var meta = el("p", { "class": "small" }, where + " · ");
    meta.appendChild(el("time", { datetime: row.at }, when.format(new Date(row.at))));
    text.appendChild(meta);
    li.appendChild(text);
    var actions = el("div", { "class": "row attention-actions" });
    actions.appendChild(el("a", { "class": "button small", href: row.url,
      "aria-label": (row.track ? S.open_track : S.open_run) + ": " + row.pseudonym }, row.track ? S.open_track : S.open_run));
    if (row.kind === "checkin") { actions.appendChild(seenButton(row)); }
    li.appendChild(actions);
    return li;
  }

  function seenButton(row) {
    var b = el("button", { type: "button", "class": "button small", "aria-label": S.seen + ": " + row.pseudonym }, S.seen);
    b.addEventListener("click", function () {
      $("attention-error").textContent = "";
      b.disabled = true;
      GPSAttention.socket.emit("facilitator:attention_seen", { answer: row.answer }, function (ack) {
        if (ack && ack.ok) { return; }  // the new state follows as facilitator:attention_changed
        b.disabled = false;
        $("attention-error").textContent = S.errors[ack && ack.error] || S.errors["default"];
        GPSAttention.sync();
      });
    });
    return b;
  }

  document.addEventListener("gps:attention", function (event) { draw(event.detail); });
  // After attention.js has run too (it comes later on the page and gives the rows their words).
  document.addEventListener("DOMContentLoaded", function () { draw(JSON.parse($("attention-state").textContent)); });

  // The sound switch saves itself (the button stays for a browser without scripts).
  $("sound-save").hidden = true;
  $("attention-sound").addEventListener("change", function () { $("sound-form").submit(); });
})();
