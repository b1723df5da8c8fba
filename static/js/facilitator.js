/* The staff dashboard: steers one run and shows answers live (with pseudonyms, staff only). */
(function () {
  "use strict";
  var root = document.getElementById("dashboard");
  var S = JSON.parse(document.getElementById("strings").textContent);
  var core = GPS.core, el = core.el, format = core.format, widgets = GPS.staff;
  var runId = Number(root.getAttribute("data-run"));
  var snap = null;
  var socket = core.connect(null, {});
  window.GPSStaffSocket = socket;  // the attention count in the menu listens on this one (static/js/attention.js)
  var $ = function (id) { return document.getElementById(id); };
  // The skip link to the controls is the page's first Tab stop, before the staff menu (issue 15).
  var skip = document.querySelector(".skip-link[href='#controls']");
  if (skip) { document.body.insertBefore(skip, document.body.firstChild); }
  var lang = document.documentElement.lang || undefined;
  var clock = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit" });
  var knownSignals = null;   // ids already shown: only a signal that is new to this page rings and is announced
  var shownState = null;     // the run state last drawn: the join card folds when the run goes live
  var focusHeading = false;  // after a move, focus goes to the current message's heading

  widgets.connectionLine(socket, $("conn"), S);
  socket.on("connect", function () {
    socket.emit("facilitator:join", { run: runId }, function (ack) { if (ack && ack.ok) { show(ack.snapshot); } });
  });
  // Issue 11: the run was deleted elsewhere, or this staff session ended (logout, deactivation): stop listening.
  socket.on("run:deleted", function () { stopListening(S.run_deleted); });
  socket.on("facilitator:signed_out", function () { socket.close(); window.location.replace("/login"); });
  function stopListening(text) {
    socket.close();
    root.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    $("conn").textContent = ""; $("command-error").textContent = text;
  }
  // Issue 16: a move pushes the snapshot inside "facilitator:changed"; other changes still ask for a sync.
  socket.on("facilitator:changed", function (data) { if (data && data.snapshot) { show(data.snapshot); } else { sync(); } });
  socket.on("facilitator:joined", function (data) {
    if (!snap) { return; }
    snap.participants = snap.participants.filter(function (p) { return p.id !== data.participant.id; });
    snap.participants.push(data.participant);
    if (snap.item) { snap.counts = data.counts; drawCounts(); }
    drawPeople();
  });
  socket.on("facilitator:answer", function (data) {
    if (!snap || !snap.item || data.answer.item !== snap.item.id) { return; }
    snap.answers = snap.answers.filter(function (a) { return a.id !== data.answer.id; });
    snap.answers.push(data.answer);
    snap.counts = data.counts;
    snap.participants.forEach(function (p) {
      if (p.id === data.answer.participant) { p.progress = data.answer.skipped ? "skipped" : "answered"; }
    });
    drawAnswers(); drawCounts(); drawPeople();
  });
  // The group's spread, pushed at most every 250 ms per run while answers come in; the last one is the final state.
  socket.on("facilitator:results", function (data) {
    if (!snap || !snap.item || data.item !== snap.item.id) { return; }
    snap.counts = data.counts; snap.aggregate = data.aggregate;
    drawCounts();
    GPSResults.render($("results"), snap.item, snap.aggregate, snap.item.solution, S);
  });
  socket.on("facilitator:signal", function (row) {
    if (!snap) { return; }
    snap.signals = snap.signals.filter(function (x) { return x.id !== row.id; }).concat([row]);
    drawSignals();
  });
  socket.on("facilitator:presence", function (data) {
    if (!snap) { return; }
    snap.participants.forEach(function (p) { if (p.id === data.participant) { p.presence = data.presence; } });
    drawPeople();
  });

  function sync() {
    socket.emit("sync", { run: runId }, function (ack) { if (ack && ack.ok) { show(ack.snapshot); } });
  }

  function command(action, extra) {
    var data = { run: runId, action: action };
    Object.keys(extra || {}).forEach(function (k) { data[k] = extra[k]; });
    $("command-error").textContent = "";
    socket.timeout(10000).emit("facilitator:command", data, function (err, ack) {
      if (err) { $("command-error").textContent = widgets.errorText(S.errors); return; }
      if (ack.ok) { focusHeading = movesMessage(action); show(ack.snapshot); return; }
      $("command-error").textContent = widgets.errorText(S.errors, ack.error);
      if (ack.error === "item_not_live") { sync(); }  // she looked at an old picture: show the live one
    });
  }

  function movesMessage(action) { return ["start", "next", "previous", "goto"].indexOf(action) >= 0; }

  root.querySelectorAll(".controls [data-action]").forEach(function (button) {
    button.addEventListener("click", function () {
      var action = button.getAttribute("data-action");
      if (action === "end" && !window.confirm(S.confirm_end)) { return; }
      // A pressed reveal button takes the reveal back (the results or the info leave the phones and the projector).
      if (button.getAttribute("aria-pressed") === "true") {
        command(button.getAttribute("data-undo"), { item: snap && snap.item ? snap.item.id : null }); return;
      }
      command(action);
    });
  });
  $("door").addEventListener("click", function () { command($("door").getAttribute("data-action")); });
  $("timer-form").addEventListener("submit", function (event) {
    event.preventDefault();
    command("timer_start", { seconds: Number($("timer-length").value), close: $("timer-closes").checked });
  });
  $("timer-stop").addEventListener("click", function () { command("timer_stop"); });

  function show(snapshot) {
    var focusKey = document.activeElement && document.activeElement.getAttribute("data-key");
    var focusWasHere = root.contains(document.activeElement);  // only a focus inside the dashboard is looked after
    snap = snapshot;
    var run = snap.run;
    $("state").textContent = S.states[run.state];
    $("state").className = "badge " + run.state;
    $("code").textContent = snap.code || "—";
    drawDoor(run);
    drawControls(run);
    $("waiting").hidden = run.state !== "lobby";
    $("ended-note").hidden = run.state !== "ended";
    drawPeople(); drawItems(); drawItem(); drawCounts(); drawAnswers(); drawSignals(); drawTimer(run);
    restoreFocus(focusKey, focusWasHere);
  }

  /* Lists are redrawn from the snapshot: a focused button in one is found again by its key, a move sends focus to
     the new message's heading, and focus never stays on a button that just disappeared (it would fall to the body). */
  function restoreFocus(focusKey, focusWasHere) {
    var active = document.activeElement;
    var lost = !active || active === document.body || !active.isConnected || active.closest("[hidden]") || active.disabled;
    if (focusHeading && !$("current").hidden) { focusHeading = false; $("item-title").focus(); return; }
    focusHeading = false;
    if (!lost || !focusWasHere) { return; }
    var again = focusKey && root.querySelector("[data-key='" + focusKey + "']");
    if (again) { again.focus(); } else if (!$("current").hidden) { $("item-title").focus(); } else { $("controls").focus(); }
  }

  function drawDoor(run) {
    $("lobby-card").hidden = run.state === "ended";
    $("door").textContent = run.door_open ? S.lock : S.unlock;
    $("door").setAttribute("data-action", run.door_open ? "lock" : "unlock");
    $("door-state").textContent = run.door_open ? S.door_open : S.door_locked;
    if (run.state === "live" && shownState !== "live") { $("join-details").open = false; }  // folds once, when it goes live
    if (run.state === "lobby") { $("join-details").open = true; }
    shownState = run.state;
  }

  function drawControls(run) {
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
    var revealed = snap.item ? snap.item.revealed : { results: false, info: false };
    buttons.reveal_results.setAttribute("aria-pressed", revealed.results ? "true" : "false");
    buttons.reveal_info.setAttribute("aria-pressed", revealed.info ? "true" : "false");
    $("timer-form").hidden = run.state !== "live";
  }

  function drawPeople() {
    var list = $("people"); list.textContent = "";
    var here = snap.participants.filter(function (p) { return p.presence !== "left"; });
    $("people-count").textContent = String(here.length);
    snap.participants.forEach(function (p) {
      var li = el("li", { "class": "person presence-" + p.presence });
      var who = el("span", { "class": "person-name" });
      who.appendChild(el("span", { "class": "presence-dot", "aria-hidden": "true" }));
      who.appendChild(el("strong", {}, p.pseudonym));
      li.appendChild(who);
      var status = el("span", { "class": "person-status small" }, S.presence[p.presence]);
      // How far she is with the current message, never what she answered.
      // One girl's words ("a répondu"), not the counts' ("ont répondu").
      if (p.progress && snap.item && p.presence !== "left") { status.textContent += " · " + S.progress[p.progress]; }
      li.appendChild(status);
      if (snap.run.state !== "ended" && p.presence !== "left") {
        var b = el("button", { type: "button", "class": "button small", "data-key": "remove-" + p.id,
          "aria-label": S.remove + ": " + p.pseudonym }, S.remove);
        b.addEventListener("click", function () {
          if (!window.confirm(format(S.confirm_remove, { name: p.pseudonym }))) { return; }
          // From a fresh browser she could join again under a new nickname: offer to close the door too.
          var lock = snap.run.door_open && window.confirm(S.confirm_lock_after_remove);
          socket.emit("facilitator:remove", { run: runId, participant: p.id, lock: lock }, function () { sync(); });
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
        var b = el("button", { type: "button", "class": "link-button", "data-key": "goto-" + item.id }, item.question);
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
    $("item-number").textContent = format(S.message_of, { n: item.number, total: snap.run.total });
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
      li.appendChild(widgets.hideButton({ hidden: a.hidden, texts: { hide: S.hide, show: S.unhide },
        label: (a.hidden ? S.unhide : S.hide) + ": " + a.pseudonym, attrs: { "data-key": "hide-" + a.id },
        onToggle: function () {
          socket.emit("facilitator:hide", { run: runId, answer: a.id, hidden: !a.hidden }, function () { sync(); });
        } }));
      list.appendChild(li);
    });
  }

  // --- signals: kept after "seen" (greyed), a soft tone and one announcement when new (the title counts them with
  //     everything else that needs her: static/js/attention.js) ---

  function drawSignals() {
    var list = $("signal-list"); list.textContent = "";
    var waiting = snap.signals.filter(function (sig) { return !sig.seen; });
    $("no-signals").hidden = snap.signals.length > 0;
    $("signals").classList.toggle("has-waiting", waiting.length > 0);
    snap.signals.slice().reverse().forEach(function (sig) {  // newest first
      list.appendChild(widgets.signalRow(sig, { kinds: S.signal_kinds, seen: S.seen, acknowledge: S.acknowledge, key: true,
        when: function (at) { return clock.format(new Date(at)); },
        onSeen: function () { socket.emit("facilitator:ack_signal", { run: runId, signal: sig.id }, function () { sync(); }); } }));
    });
    noticeNewSignals(waiting);
  }

  function noticeNewSignals(waiting) {
    var fresh = knownSignals === null ? [] : waiting.filter(function (sig) { return knownSignals.indexOf(sig.id) < 0; });
    knownSignals = snap.signals.map(function (sig) { return sig.id; });
    if (!fresh.length) { return; }
    var last = fresh[fresh.length - 1];
    announce(S.signal_title + ": " + last.pseudonym + " " + (S.signal_kinds[last.kind] || last.kind) + ", " +
             clock.format(new Date(last.at)));
    if ($("signal-sound").checked) { chime(); }
  }

  function announce(text) { GPSAlerts.announce($("announce"), text); }
  function chime() { GPSAlerts.chime(); }  // static/js/alerts.js, shared with the attention count (issue 13)

  var SOUND_KEY = "gps:signal-sound";
  $("signal-sound").checked = core.storage.get(SOUND_KEY) !== "off";
  $("signal-sound").addEventListener("change", function () {
    core.storage.set(SOUND_KEY, $("signal-sound").checked ? "on" : "off");
  });

  // --- the timer of the current message ------------------------------------------------------------------

  var ticker = null, deadline = null;
  function drawTimer(run) {
    var timer = run.timer;
    deadline = timer ? Date.now() + timer.remaining * 1000 : null;
    $("timer-running").hidden = !timer;
    $("timer-stop").hidden = !timer;
    $("timer-start").textContent = S.timer_start;
    $("timer-closes-note").hidden = !(timer && timer.closes);
    if (ticker) { clearInterval(ticker); ticker = null; }
    if (timer) { tick(); ticker = setInterval(tick, 1000); }
  }
  function tick() {
    var left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    $("timer-label").textContent = left > 0 ? S.time_left : S.time_up;
    $("timer-left").textContent = left > 0 ? Math.floor(left / 60) + ":" + ("0" + (left % 60)).slice(-2) : "";
    if (left === 0 && ticker) { clearInterval(ticker); ticker = null; }
  }
})();
