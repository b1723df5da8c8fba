/* The staff dashboard: steers one run and shows answers live (with pseudonyms, staff only). */
(function () {
  "use strict";
  var root = document.getElementById("dashboard");
  var S = JSON.parse(document.getElementById("strings").textContent);
  var el = GPSItems.el;
  var runId = Number(root.getAttribute("data-run"));
  var snap = null;
  var socket = io({ reconnectionDelayMax: 4000 });
  var $ = function (id) { return document.getElementById(id); };

  socket.on("connect", function () {
    $("conn").textContent = S.connected;
    socket.emit("staff:join", { run: runId }, function (ack) { if (ack && ack.ok) { show(ack.snapshot); } });
  });
  socket.on("disconnect", function () { $("conn").textContent = S.reconnecting; });
  socket.on("changed", sync);
  socket.on("staff:answer", function (data) {
    if (!snap || !snap.item || data.answer.item !== snap.item.id) { return; }
    snap.answers = snap.answers.filter(function (a) { return a.id !== data.answer.id; });
    snap.answers.push(data.answer);
    snap.counts = data.counts;
    drawAnswers(); drawCounts(); refreshResultsSoon();
  });
  socket.on("staff:signal", function (row) {
    if (!snap) { return; }
    snap.signals = snap.signals.filter(function (x) { return x.id !== row.id; }).concat([row]);
    drawSignals();
  });

  // staff:answer carries the counts but not the spread: fetch the aggregate once a burst of answers settles.
  var resultsTimer = null;
  function refreshResultsSoon() {
    if (resultsTimer) { return; }
    resultsTimer = setTimeout(function () {
      resultsTimer = null;
      socket.emit("sync", { run: runId }, function (ack) {
        if (!ack || !ack.ok || !snap || !snap.item || !ack.snapshot.item || ack.snapshot.item.id !== snap.item.id) { return; }
        snap.aggregate = ack.snapshot.aggregate;
        GPSResults.render($("results"), snap.item, snap.aggregate, snap.item.solution, S);
      });
    }, 400);
  }

  function sync() {
    socket.emit("sync", { run: runId }, function (ack) { if (ack && ack.ok) { show(ack.snapshot); } });
  }

  function command(action, extra) {
    var data = { run: runId, action: action };
    Object.keys(extra || {}).forEach(function (k) { data[k] = extra[k]; });
    $("command-error").textContent = "";
    socket.timeout(10000).emit("staff:command", data, function (err, ack) {
      if (err) { $("command-error").textContent = S.errors["default"]; return; }
      if (ack.ok) { show(ack.snapshot); } else { $("command-error").textContent = S.errors[ack.error] || S.errors["default"]; }
    });
  }

  root.querySelectorAll(".controls [data-action]").forEach(function (button) {
    button.addEventListener("click", function () {
      var action = button.getAttribute("data-action");
      if (action === "end" && !window.confirm(S.confirm_end)) { return; }
      command(action);
    });
  });
  $("door").addEventListener("click", function () { command($("door").getAttribute("data-action")); });

  function show(snapshot) {
    snap = snapshot;
    var run = snap.run;
    $("state").textContent = S.states[run.state];
    $("state").className = "badge " + run.state;
    $("code").textContent = snap.code || "—";
    $("lobby-card").hidden = run.state === "ended";
    $("door").textContent = run.door_open ? S.lock : S.unlock;
    $("door").setAttribute("data-action", run.door_open ? "lock" : "unlock");
    var buttons = {};
    root.querySelectorAll(".controls [data-action]").forEach(function (b) { buttons[b.getAttribute("data-action")] = b; });
    buttons.start.hidden = run.state !== "lobby";
    ["previous", "next", "reveal_results", "reveal_info"].forEach(function (a) { buttons[a].hidden = run.state !== "live"; });
    buttons.end.hidden = run.state === "ended";
    if (buttons.self_paced) {  // offline individual (issue 5): who sets the pace
      buttons.self_paced.hidden = run.state === "ended" || snap.self_paced;
      buttons.staff_paced.hidden = run.state === "ended" || !snap.self_paced;
      $("pace-note").hidden = run.state === "ended" || !snap.self_paced;
    }
    if (run.state === "live") {
      buttons.previous.disabled = run.index === 0;
      buttons.next.disabled = run.index === run.total - 1;
    }
    $("waiting").hidden = run.state !== "lobby";
    $("ended-note").hidden = run.state !== "ended";
    drawPeople(); drawItems(); drawItem(); drawCounts(); drawAnswers(); drawSignals();
  }

  function drawPeople() {
    var list = $("people"); list.textContent = "";
    $("people-count").textContent = String(snap.participants.length);
    snap.participants.forEach(function (p) {
      var li = el("li", { "class": "person" });
      li.appendChild(el("span", {}, p.pseudonym));
      if (snap.run.state !== "ended") {
        var b = el("button", { type: "button", "class": "button small", "aria-label": S.remove + ": " + p.pseudonym }, S.remove);
        b.addEventListener("click", function () {
          if (!window.confirm(S.confirm_remove.replace("%(name)s", p.pseudonym))) { return; }
          socket.emit("staff:remove", { run: runId, participant: p.id }, function () { sync(); });
        });
        li.appendChild(b);
      }
      list.appendChild(li);
    });
  }

  function drawItems() {
    var list = $("items"); list.textContent = "";
    snap.items.forEach(function (item, n) {
      var li = el("li", { "class": item.id === snap.run.current ? "current" : "" });
      if (snap.run.state === "live") {
        var b = el("button", { type: "button", "class": "link-button" }, item.question);
        if (item.id === snap.run.current) { b.setAttribute("aria-current", "step"); }
        b.addEventListener("click", function () { command("goto", { index: n }); });
        li.appendChild(b);
      } else { li.appendChild(el("span", {}, item.question)); }
      if (item.sensitive) { li.appendChild(el("span", { "class": "badge" }, "!")); }
      list.appendChild(li);
    });
  }

  function drawItem() {
    var item = snap.item;
    $("current").hidden = !item;
    $("live-panels").hidden = !item;
    if (!item) { $("results").textContent = ""; return; }
    $("sensitive").hidden = !item.sensitive;
    $("item-channel").textContent = item.channel;
    $("item-number").textContent = S.message_of.replace("%(n)s", item.number).replace("%(total)s", snap.run.total);
    $("item-message").textContent = item.message;
    $("item-title").textContent = item.question;
    $("item-notes").textContent = item.staff_notes;
    $("item-info").textContent = item.info;
    var sol = $("item-solution"); sol.textContent = "";
    var block = GPSItems.solutionBlock(item, item.solution, S);
    if (block) { sol.appendChild(block); }
    GPSResults.render($("results"), item, snap.aggregate, item.solution, S);
  }

  function drawCounts() {
    var c = snap.counts, box = $("counts"); box.textContent = "";
    if (!c) { return; }
    [["answered", c.answered], ["skipped", c.skipped], ["thinking", c.thinking]].forEach(function (k) {
      var part = el("span", { "class": "count count-" + k[0] });
      part.appendChild(el("strong", {}, String(k[1]))); part.appendChild(document.createTextNode(" " + S[k[0]]));
      box.appendChild(part);
    });
  }

  function drawAnswers() {
    var list = $("answers"); list.textContent = "";
    if (!snap.item) { return; }
    if (!snap.answers.length) { list.appendChild(el("li", { "class": "small" }, S.no_answers)); return; }
    snap.answers.forEach(function (a) {
      var li = el("li", { "class": "answer-row" + (a.hidden ? " is-hidden" : "") });
      li.appendChild(el("strong", {}, a.pseudonym));
      li.appendChild(el("span", { "class": "answer-text" }, GPSItems.describeAnswer(snap.item, a.value, S)));
      if (a.hidden) { li.appendChild(el("span", { "class": "small" }, "(" + S.hidden + ")")); }
      var b = el("button", { type: "button", "class": "button small", "aria-label": (a.hidden ? S.unhide : S.hide) + ": " + a.pseudonym },
        a.hidden ? S.unhide : S.hide);
      b.addEventListener("click", function () {
        socket.emit("staff:hide", { run: runId, answer: a.id, hidden: !a.hidden }, function () { sync(); });
      });
      li.appendChild(b);
      list.appendChild(li);
    });
  }

  function drawSignals() {
    var list = $("signal-list"); list.textContent = "";
    $("signals").hidden = !snap.signals.length;
    snap.signals.forEach(function (sig) {
      var li = el("li", { "class": "signal" });
      li.appendChild(el("strong", {}, sig.pseudonym));
      li.appendChild(el("span", {}, " " + (S.signal_kinds[sig.kind] || sig.kind) + " "));
      var b = el("button", { type: "button", "class": "button small" }, S.acknowledge);
      b.addEventListener("click", function () {
        socket.emit("staff:ack_signal", { run: runId, signal: sig.id }, function () { sync(); });
      });
      li.appendChild(b); list.appendChild(li);
    });
  }
})();
