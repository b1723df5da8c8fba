/* The dashboard's projector panel (issue 15): light or dark projector, the info part on the wall, and the check of
   open and word answers before the projector shows them. It keeps its own connection (staff session) so it does
   not depend on how the rest of the dashboard is drawn; every change comes back as a "facilitator:changed". */
(function () {
  "use strict";
  var panel = document.getElementById("screen-panel");
  if (!panel) { return; }
  var S = JSON.parse(document.getElementById("moderation-strings").textContent);
  var core = GPS.core, el = core.el, format = core.format;
  var $ = function (id) { return document.getElementById(id); };
  var runId = Number(panel.getAttribute("data-run"));
  var snap = null, syncTimer = null;
  var socket = core.connect(null, {});

  socket.on("connect", function () {
    socket.emit("facilitator:join", { run: runId }, function (ack) { if (ack && ack.ok) { draw(ack.snapshot); } });
  });
  // A move carries the new snapshot (issue 16); other changes (approve, hide, theme) still say "sync".
  socket.on("facilitator:changed", function (data) { if (data && data.snapshot) { draw(data.snapshot); } else { syncSoon(50); } });
  socket.on("facilitator:answer", function (data) { if (snap) { countsArrived(data.counts); answerArrived(data.answer); } });

  /* Whether the projector keeps the results private follows the count of answers (the server's rule:
     fewer than min_group girls answered), so the note never says "private" while the wall shows the bars. */
  function countsArrived(counts) {
    if (!counts || !snap.screen || !snap.moderation) { return; }
    snap.screen.private = counts.answered < snap.moderation.min_group;
    draw(snap);
  }

  /* A new or rewritten answer waits for a check again (the server dropped its approval): drawn from the event,
     without a pull per answer. */
  function answerArrived(row) {
    var mod = snap.moderation;
    if (!snap.item || row.item !== snap.item.id || !mod) { return; }
    snap.answers = snap.answers.filter(function (a) { return a.id !== row.id; }).concat([row]);
    mod.approved = mod.approved.filter(function (id) { return id !== row.id; });
    mod.pending = mod.pending.filter(function (id) { return id !== row.id; });
    if (mod.on && mod.applies && !row.skipped && !row.hidden) { mod.pending.push(row.id); }
    draw(snap);
  }

  function syncSoon(delay) {
    if (syncTimer) { return; }
    syncTimer = setTimeout(function () {
      syncTimer = null;
      socket.emit("sync", { run: runId }, function (ack) { if (ack && ack.ok) { draw(ack.snapshot); } });
    }, delay);
  }

  function send(event, data) {
    data.run = runId;
    $("screen-error").textContent = "";
    socket.timeout(10000).emit(event, data, function (err, ack) {
      if (err || !ack.ok) { $("screen-error").textContent = S.errors[err ? "default" : ack.error] || S.errors["default"]; }
    });
  }

  panel.querySelectorAll("[data-theme]").forEach(function (button) {
    button.addEventListener("click", function () { send("facilitator:screen", { action: "theme", theme: button.getAttribute("data-theme") }); });
  });
  panel.querySelectorAll("[data-step]").forEach(function (button) {
    button.addEventListener("click", function () { send("facilitator:screen", { action: "info_part", step: Number(button.getAttribute("data-step")) }); });
  });
  $("moderated").addEventListener("change", function () { send("facilitator:screen", { action: "moderated", on: $("moderated").checked }); });
  $("approve-all").addEventListener("click", function () { if (snap && snap.item) { send("facilitator:approve_all", { item: snap.item.id }); } });

  function draw(snapshot) {
    snap = snapshot;
    var screen = snap.screen || {};
    panel.hidden = snap.run.state === "ended";
    panel.querySelectorAll("[data-theme]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-theme") === screen.theme));
    });
    drawInfoSteps(screen);
    $("private-note").hidden = !(snap.item && screen.private);
    $("private-note").textContent = format(S["private"], { k: snap.moderation ? snap.moderation.min_group : "" });
    drawModeration();
  }

  function drawInfoSteps(screen) {
    var many = screen.info_parts > 1;
    $("info-steps").hidden = !many;
    if (!many) { return; }
    $("info-part-label").textContent = format(S.info_part, { n: screen.info_part + 1, total: screen.info_parts });
    panel.querySelector("[data-step='-1']").disabled = screen.info_part === 0;
    panel.querySelector("[data-step='1']").disabled = screen.info_part >= screen.info_parts - 1;
  }

  function drawModeration() {
    var mod = snap.moderation, list = $("moderation-list");
    $("moderation").hidden = !(snap.item && mod && mod.applies);
    list.textContent = "";
    if ($("moderation").hidden) { return; }
    $("moderated").checked = mod.on;
    $("approve-all").hidden = !mod.on || !mod.pending.length;
    $("pending-note").textContent = !mod.on ? S.unmoderated :
      mod.pending.length ? format(S.pending, { n: mod.pending.length }) : S.none_pending;
    snap.answers.filter(function (a) { return !a.skipped; }).forEach(function (a) { list.appendChild(answerRow(a, mod)); });
  }

  function answerRow(a, mod) {
    var approved = mod.approved.indexOf(a.id) >= 0;
    var state = a.hidden ? "hidden" : (approved || !mod.on ? "on_screen" : "waiting");
    var li = el("li", { "class": "answer-row moderation-" + state });
    var text = a.value.text || (a.value.words || []).join(" · ");
    li.appendChild(el("span", { "class": "answer-text" }, text));
    li.appendChild(el("span", { "class": "small" }, S[state]));
    if (a.hidden || (mod.on && !approved)) {
      li.appendChild(button(S.approve, text, function () { send("facilitator:approve", { answer: a.id }); }));
    }
    if (!a.hidden) {
      li.appendChild(button(S.hide, text, function () { send("facilitator:hide", { answer: a.id, hidden: true }); }));
    }
    return li;
  }

  function button(label, about, onClick) {
    var b = el("button", { type: "button", "class": "button small", "aria-label": label + ": " + about }, label);
    b.addEventListener("click", onClick);
    return b;
  }
})();
