/* The coach's view of one girl's track (issue 5): her progress and answers live, the modules open to her,
   support messages both ways and her "I want to talk" signal, highlighted until acknowledged. */
(function () {
  "use strict";
  var root = document.getElementById("coach-view");
  var S = JSON.parse(document.getElementById("strings").textContent);
  var T = JSON.parse(document.getElementById("track-strings").textContent);
  var core = GPS.core, el = core.el, format = core.format, widgets = GPS.staff;
  var $ = function (id) { return document.getElementById(id); };
  var PAGE_LANG = document.documentElement.lang || undefined;  // dates in the page's language, not the browser's
  var trackId = Number(root.getAttribute("data-track"));
  var snap = null, refocus = null;
  var socket = core.connect(null, {});
  window.GPSStaffSocket = socket;  // the attention count in the menu listens on this one (static/js/attention.js)

  widgets.connectionLine(socket, $("conn"), S);
  socket.on("connect", function () {
    socket.emit("facilitator:track_join", { track: trackId }, function (ack) { answer(ack); markRead(); });
  });
  // Issue 11: the track was deleted elsewhere, or this staff session ended: this page hears nothing more.
  socket.on("facilitator:track_deleted", function () {
    socket.close();
    root.querySelectorAll("button, textarea").forEach(function (b) { b.disabled = true; });
    $("conn").textContent = ""; $("command-error").textContent = T.track_deleted;
  });
  socket.on("facilitator:signed_out", function () { socket.close(); window.location.replace("/login"); });
  ["facilitator:track_changed", "facilitator:track_answer", "facilitator:track_signal"].forEach(function (name) { socket.on(name, sync); });
  socket.on("facilitator:track_message", function (row) {
    if (!snap) { return; }
    addMessage(row); drawThread();
    if (row.from === "girl") { markRead(); }
    if (row.from === "girl") {  // her reply is said once; the thread is no live region (it would be read again whole)
      var region = $("announce"); region.textContent = "";
      setTimeout(function () { region.textContent = T.from_girl + ": " + row.text; }, 60);
    }
  });

  function sync() { socket.emit("facilitator:track_sync", { track: trackId }, answer); }

  /* Issue 13: her messages are read once this page is open and in view; they leave the attention list. A message
     that came while the tab was hidden is read when she comes back to it. */
  var unreadWhileHidden = false;
  function markRead() {
    if (document.visibilityState !== "visible") { unreadWhileHidden = true; return; }
    unreadWhileHidden = false;
    socket.emit("facilitator:track_read", { track: trackId });
  }
  document.addEventListener("visibilitychange", function () { if (unreadWhileHidden) { markRead(); } });
  function answer(ack) {
    if (ack && ack.ok) { show(ack.snapshot); }
    else if (ack) { $("command-error").textContent = widgets.errorText(T.errors, ack.error); }
  }

  function show(snapshot) {
    snap = snapshot;
    var tr = snap.track, closed = tr.state === "closed";
    $("state").textContent = T.states[tr.state]; $("state").className = "badge " + (closed ? "ended" : tr.state === "paused" ? "paused" : "live");
    if (tr.pseudonym) { $("track-title").textContent = format(T.track_of, { name: tr.pseudonym }); }
    if ($("invitation-pending") && !snap.invitation_pending) {  // she used it while this page was open
      $("invitation-pending").hidden = true; $("invitation-used").hidden = false;
    }
    $("close-card").hidden = closed;
    $("support").hidden = closed;
    drawPause(tr.state);
    $("progress-text").textContent = !snap.joined ? T.not_joined : tr.position
      ? format(T.done_of, { done: tr.done, total: tr.total }) + " · " + T.current + " " +
        format(T.message_of, { n: tr.position, total: tr.total })
      : format(T.done_of, { done: tr.done, total: tr.total }) +
        (tr.finished ? "" : " · " + (tr.waiting === "paused" ? T.waiting_paused : T.waiting));
    $("progress-bar").value = tr.total ? tr.done / tr.total : 0;
    drawSignals(); drawModules(); drawThread(); drawAnswers();
  }

  function drawSignals() {
    var list = $("signal-list"); list.textContent = "";
    $("signals").hidden = !snap.signals.length;
    snap.signals.forEach(function (sig) {
      list.appendChild(widgets.signalRow(sig, { kinds: S.signal_kinds, fallback: T.wants_to_talk, acknowledge: T.acknowledge,
        when: function (at) { return new Date(at).toLocaleString(PAGE_LANG); },
        onSeen: function () { socket.emit("facilitator:track_ack_signal", { track: trackId, signal: sig.id }, sync); } }));
    });
  }

  /* Issue 13: a pause holds her where she is; the state line says what she can still do. */
  function drawPause(state) {
    var paused = state === "paused";
    $("pause-card").hidden = state === "closed";
    $("pause-state").textContent = paused ? T.state_paused : T.state_open;
    $("pause-track").textContent = paused ? T.resume : T.pause;
    $("pause-track").disabled = false;
    $("paused-line").hidden = !paused;
    $("paused-line").textContent = paused ? T.paused_line : "";
  }

  $("pause-track").addEventListener("click", function () {
    var button = this;
    button.disabled = true;  // one move at a time; the ack's snapshot enables it again
    socket.emit("facilitator:track_pause", { track: trackId, paused: snap.track.state !== "paused" }, function (ack) {
      button.disabled = false; answer(ack);
    });
  });

  function drawModules() {
    var list = $("modules"), closed = snap.track.state === "closed"; list.textContent = "";
    snap.modules.forEach(function (m) {
      var li = el("li", { "class": "track-module state-" + m.state });
      var text = el("div", {});
      text.appendChild(el("strong", {}, format(T.module, { n: m.number }) + " · " + m.title));
      var status = m.state === "done" ? format(T.completed_on, { date: new Date(m.done_at).toLocaleDateString(PAGE_LANG) })
        : T.module_states[m.state];
      text.appendChild(el("span", { "class": "small module-state" }, " " + status + " (" + m.answered + "/" + m.total + ")"));
      li.appendChild(text);
      if (m.run) {  // the module's run has the run report (issue 13)
        li.appendChild(el("a", { href: "/staff/runs/" + m.run + "/report", "class": "small module-report",
          "aria-label": format(T.report_of, { n: m.number }) }, T.report));
      }
      if (!closed) {
        var b = el("button", { type: "button", "class": "button small", "data-module": String(m.number),
          "aria-label": (m.open ? T.lock_module : T.open_module) + ": " + format(T.module, { n: m.number }) },
          m.open ? T.lock_module : T.open_module);
        b.addEventListener("click", function () {
          socket.emit("facilitator:track_module", { track: trackId, module: m.number, open: !m.open }, function (ack) {
            // A module with a content note (module 5) opens only once she has read the note and confirmed.
            if (ack && ack.error === "content_note_required") {
              if (!window.confirm(T.confirm_note + "\n\n" + (ack.note || ""))) { return; }
              socket.emit("facilitator:track_module", { track: trackId, module: m.number, open: true, confirm_note: true }, answer);
              return;
            }
            answer(ack);
          });
        });
        li.appendChild(b);
      }
      list.appendChild(li);
    });
  }

  function drawAnswers() {
    var list = $("answers"); list.textContent = "";
    var answered = snap.inbox.filter(function (item) { return item.answer; });
    if (!answered.length) { list.appendChild(el("li", { "class": "small" }, T.no_answers)); return; }
    answered.reverse().forEach(function (item) {
      var li = el("li", { "class": "card track-answer" + (item.hidden ? " is-hidden" : ""), id: "answer-" + item.id });
      var head = el("div", { "class": "spread" });
      head.appendChild(el("p", { "class": "small" }, format(T.message_of, { n: item.number, total: snap.track.total }) +
        " · " + format(T.module, { n: item.module }) + " · " + new Date(item.answered_at).toLocaleString(PAGE_LANG)));
      head.appendChild(hideButton(item));
      li.appendChild(head);
      if (item.hidden) { li.appendChild(el("p", { "class": "hidden-note small" }, T.hidden)); }
      li.appendChild(el("h3", { "class": "question" }, item.question));
      li.appendChild(el("p", { "class": "mine" }, item.answer.skip ? T.skipped : GPSItems.describeAnswer(item, item.answer, S)));
      if (item.aggregate && !item.answer.skip) {
        var chart = el("div", { "class": "results" });
        GPSResults.render(chart, item, item.aggregate, item.solution, S);
        li.appendChild(chart);
      }
      var notes = el("details", {});
      notes.appendChild(el("summary", {}, S.right_answer));
      var block = GPSItems.solutionBlock(item, item.solution, S);
      if (block) { notes.appendChild(block); }
      notes.appendChild(el("p", {}, item.staff_notes));
      if (block || item.staff_notes) { li.appendChild(notes); }
      list.appendChild(li);
    });
    if (refocus && $(refocus)) { $(refocus).focus(); }  // the list was drawn again: keep her place
  }

  /* Issue 13: her answer is hidden with the run's own facilitator:hide (it names the module's run); a hidden answer
     stays out of every report, and this page marks it. */
  function hideButton(item) {
    return widgets.hideButton({ hidden: item.hidden, texts: { hide: T.hide, show: T.show },
      label: item.hidden ? T.show_label : T.hide_label, attrs: { "class": "button small hide-answer", id: "hide-" + item.id },
      onToggle: function (b) {
        b.disabled = true; refocus = b.id;
        socket.emit("facilitator:hide", { run: item.run, answer: item.answer_id, hidden: !item.hidden }, function (ack) {
          b.disabled = false;
          if (ack && !ack.ok) { $("command-error").textContent = widgets.errorText(T.errors, ack.error); }
          // The run's rooms hear of it, this page asks for its own snapshot. The track's facilitator:track_changed may draw
          // the list once more before this answer: her place is kept until this snapshot is drawn.
          socket.emit("facilitator:track_sync", { track: trackId }, function (res) { answer(res); refocus = null; });
        });
      } });
  }

  /* Support messages */
  function addMessage(row) {
    if (!snap.messages.some(function (m) { return m.id === row.id; })) { snap.messages.push(row); }
  }

  function drawThread() {
    var list = $("thread"); list.textContent = "";
    snap.messages.forEach(function (m) {
      var li = el("li", { "class": "bubble-row " + (m.from === "coach" ? "from-me" : "from-coach") });
      li.appendChild(el("span", { "class": "who small" }, (m.from === "coach" ? T.from_coach : T.from_girl) + " · " + new Date(m.at).toLocaleString(PAGE_LANG)));
      li.appendChild(el("p", { "class": "say" }, m.text));
      list.appendChild(li);
    });
  }

  var text = $("support-text");
  function count() { $("support-count").textContent = (500 - text.value.length) + " " + T.chars_left; }
  text.addEventListener("input", count); count();

  $("support").addEventListener("submit", function (event) {
    event.preventDefault();
    $("support-error").textContent = "";
    if (!text.value.trim()) { $("support-error").textContent = T.errors.empty_message; return; }
    var written = text.value;
    text.value = ""; count();
    // Sent until the server acknowledges it, again after every reconnect (GPS.core).
    core.sendUntilAcked(socket, "facilitator:track_message", { track: trackId, text: written }, { done: function (err, ack) {
      if (ack.ok) { addMessage(ack.message); drawThread(); return; }
      $("support-error").textContent = widgets.errorText(T.errors, ack.error);
      text.value = written; count();
    } });
  });

  $("close-track").addEventListener("click", function () {
    if (!window.confirm(T.confirm_close)) { return; }
    socket.emit("facilitator:track_close", { track: trackId }, answer);
  });
})();
