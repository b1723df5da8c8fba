/* The girl's inbox. Renders from the server's snapshot and updates; answers are sent with a
   client-made id and resent until the server acknowledges them (phones sleep, Wi-Fi drops). */
(function () {
  "use strict";
  var root = document.getElementById("app");
  var S = JSON.parse(document.getElementById("strings").textContent);
  var core = GPS.core, el = core.el, format = core.format, store = core.storage;
  var runKey = "gps:" + root.getAttribute("data-run");
  var state = { run: null, inbox: [], pending: {}, editing: {}, refused: {}, deadline: null };
  // What the girl was last shown: a change of message, a reveal or the end is brought into view and said once.
  var shown = null;

  var status = document.getElementById("conn");
  var socket = null, manager = null, setStatus = core.statusLine(status, "conn");
  // WebSocket first (two round trips fewer than polling then upgrading: ~1 s on a slow phone link,
  // docs/benchmarks.md); polling still works where a network blocks WebSockets.
  var OPTIONS = { transports: ["websocket", "polling"], tryAllTransports: true };
  var REDUCED_MOTION = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function $(id) { return document.getElementById(id); }

  /* Start with her token: given by the page right after joining, or the one this phone kept. */
  function begin(token) {
    if (token) { store.set(runKey, token); }
    if (!token) { token = store.get(runKey); }
    if (!token) { window.location.replace(root.getAttribute("data-join")); return; }
    pinStatusBar();
    live(token);
  }

  // On the join page the inbox waits, already loaded, until she has joined (no second page to fetch),
  // and the connection opens while she chooses her pseudonym: once joined, only her token is still to send.
  if (root.getAttribute("data-autostart") === "0") {
    manager = new io.Manager(Object.assign({}, core.RECONNECT, OPTIONS));
    manager.open();
    window.GPSInbox = { begin: begin };
  } else { begin(root.getAttribute("data-token")); }

  /* The status bar sticks under the quick-exit strip. It is moved out of the inbox to sit right after the page's
     header, so it sticks for the whole page (a sticky box only sticks inside its parent), and the page keeps the
     height of both free when it scrolls a card or a focused control into view, so neither covers it. */
  function pinStatusBar() {
    var bar = $("status-bar"), strip = document.querySelector(".quick-exit-box");
    var header = document.querySelector("body > .topbar") || strip;
    if (header && header.parentNode) { header.parentNode.insertBefore(bar, header.nextSibling); }
    function fit() {
      var stripHeight = strip ? strip.offsetHeight : 0;
      document.documentElement.style.setProperty("--strip-height", stripHeight + "px");
      document.documentElement.style.scrollPaddingTop = (stripHeight + bar.offsetHeight + 8) + "px";
    }
    fit();
    if (window.ResizeObserver) {
      var watch = new ResizeObserver(fit);
      watch.observe(bar); if (strip) { watch.observe(strip); }
    } else { window.addEventListener("resize", fit); }
  }

  function live(token) {
    socket = core.connect({ token: token }, {
      connect: function () { setStatus(S.connected, "ok"); },
      disconnect: function () { setStatus(S.reconnecting, "warn"); },
      "run:deleted": function () {  // issue 11: her counsellor deleted the session; nothing stays here
        store.remove(runKey);
        socket.close(); window.location.replace(root.getAttribute("data-join"));
      },
      connect_error: function (err) {
        if (err && (err.message === "unknown_token")) {
          store.remove(runKey);
          window.location.replace(root.getAttribute("data-join"));
        } else if (err && err.message === "removed") {
          showRemoved();
        } else { setStatus(S.offline, "warn"); }
      }
    }, manager ? { manager: manager } : OPTIONS);  // with a manager: connects at once (autoConnect)
    socket.io.on("reconnect_attempt", function () { setStatus(S.reconnecting, "warn"); });
    socket.on("snapshot", function (snap) {
      state.run = snap.run; state.inbox = snap.inbox;
      followTimer(snap.run);
      $("me").textContent = snap.me.pseudonym;
      var notice = $("notice");
      notice.hidden = !snap.notice; notice.textContent = snap.notice || "";
      if (snap.next_module) { showNextModule(snap.next_module); }
      render();
    });
    socket.on("update", function (update) {
      state.run = update.run;
      followTimer(update.run);
      if (update.item) { merge(update.item); }
      render();
    });
    socket.on("ended", function () { if (state.run) { state.run.state = "ended"; state.run.timer = null; } followTimer(state.run); render(); });
    socket.on("removed", showRemoved);
    socket.on("next_module", showNextModule);
    socket.on("signal:seen", function () { $("talk-status").textContent = S.signal_seen; });
    window.addEventListener("gps:quick-exit", function () { forgetDrafts(); socket.close(); });
    // The browser knows at once when the network goes; the socket would only notice after its ping timeout
    // (~25 s). Closing the transport starts the reconnect loop now, so she sees "Reconnecting…" at once.
    window.addEventListener("offline", function () {
      setStatus(S.reconnecting, "warn");
      if (socket.io.engine) { socket.io.engine.close(); }
    });
  }

  function merge(item) {
    var known = state.inbox.filter(function (x) { return x.id === item.id; })[0];
    if (known) { item.answer = known.answer; state.inbox[state.inbox.indexOf(known)] = item; }
    else { item.answer = null; state.inbox.push(item); }
  }

  function showRemoved() {
    store.remove(runKey);
    forgetDrafts();
    socket.close();
    stopTimer();
    $("removed").hidden = false;
    ["lobby", "talk", "ended"].forEach(function (id) { $(id).hidden = true; });
    $("messages").textContent = "";
    setStatus("", "");
    $("save-state").textContent = "";
    bringIntoView($("removed-title"));
    announce($("removed-title").textContent);
  }

  // --- drafts: what she typed survives a language switch (a page load) and a refused answer -----------------

  function draftKey(itemId) { return runKey + ":draft:" + itemId; }
  function saveDraft(itemId, draft) { core.session.set(draftKey(itemId), JSON.stringify(draft)); }
  function loadDraft(itemId) {
    try { return JSON.parse(core.session.get(draftKey(itemId)) || "null"); } catch (e) { return null; }
  }
  function dropDraft(itemId) { core.session.remove(draftKey(itemId)); }
  function forgetDrafts() { state.inbox.forEach(function (item) { dropDraft(item.id); }); }

  // --- the timer of the current message --------------------------------------------------------------------

  var ticker = null;
  function followTimer(run) {
    var timer = run && run.timer;
    state.deadline = timer ? Date.now() + timer.remaining * 1000 : null;
    state.closesAtEnd = !!(timer && timer.closes);
    $("timer").hidden = !timer;
    if (ticker) { clearInterval(ticker); ticker = null; }
    if (timer) { tick(); ticker = setInterval(tick, 1000); }
  }
  function stopTimer() { if (ticker) { clearInterval(ticker); ticker = null; } state.deadline = null; $("timer").hidden = true; }
  function secondsLeft() { return state.deadline === null ? null : Math.max(0, Math.ceil((state.deadline - Date.now()) / 1000)); }
  function tick() {
    var left = secondsLeft();
    if (left === null) { return; }
    $("timer-label").textContent = left > 0 ? S.time_left : S.time_up;
    $("timer-left").textContent = left > 0 ? Math.floor(left / 60) + ":" + ("0" + (left % 60)).slice(-2) : "";
    if (left === 0) {
      clearInterval(ticker); ticker = null;
      if (state.closesAtEnd) { render(); announce(S.closed_by_timer); }
    }
  }
  // One-to-one (issue 13): her counsellor started the next module with her; this phone goes on as her there.
  function showNextModule(next) {
    if (!next || typeof next.link !== "string" || next.link.charAt(0) !== "/") { return; }
    $("next-module-link").setAttribute("href", next.link);
    $("next-module").hidden = false;
  }
  function closedByTimer() { return state.closesAtEnd && secondsLeft() === 0; }

  // --- drawing ---------------------------------------------------------------------------------------------

  function render() {
    var run = state.run; if (!run) { return; }
    var hadFocusInInbox = root.contains(document.activeElement) && document.activeElement !== document.body;
    $("lobby").hidden = run.state !== "lobby";
    $("ended").hidden = run.state !== "ended";
    $("talk").hidden = run.state === "ended";
    if (run.state === "ended") { stopTimer(); }
    var list = $("messages");
    // Only cards whose content changed are rebuilt, so text she is typing elsewhere stays put.
    state.inbox.forEach(function (item) {
      var old = $("msg-" + item.id);
      var signature = JSON.stringify([item.revealed, item.answer, run.current, run.state, !!state.pending[item.id],
        !!state.editing[item.id], state.refused[item.id] || null, item.id === run.current && closedByTimer()]);
      if (old && old.getAttribute("data-sig") === signature) { return; }
      var card = messageCard(item, run);
      card.setAttribute("data-sig", signature);
      if (old) { list.replaceChild(card, old); } else { list.appendChild(card); }
    });
    follow(run, hadFocusInInbox);
  }

  /* After a change the staff made, bring what changed into view, move focus to its heading and say it once. */
  function follow(run, hadFocusInInbox) {
    var current = state.inbox.filter(function (x) { return x.id === run.current; })[0];
    var now = { state: run.state, current: run.current, results: !!(current && current.revealed.results),
                info: !!(current && current.revealed.info) };
    var before = shown; shown = now;
    if (before === null) {  // the first picture after loading: show where we are, without moving her focus
      if (current) { bringIntoView($("msg-" + current.id), true); }
      return;
    }
    if (now.state === "ended" && before.state !== "ended") {
      bringIntoView($("ended-title")); announce($("ended-title").textContent);
    } else if (current && now.current !== before.current) {
      bringIntoView(headingOf(current)); announce(S.new_message + ": " + current.question);
    } else if (current && (now.results !== before.results || now.info !== before.info)) {
      bringIntoView(headingOf(current));
      if (now.info && !before.info) { announce(S.info_shown); } else if (now.results && !before.results) { announce(S.results_shown); }
    } else if (hadFocusInInbox && !root.contains(document.activeElement) && current) {
      headingOf(current).focus();  // her card was rebuilt under her focus: never leave it on the page body
    }
  }

  function headingOf(item) { return $("head-" + item.id); }

  function bringIntoView(node, withoutFocus) {
    if (!node) { return; }
    if (!withoutFocus) { node.focus({ preventScroll: true }); }
    node.scrollIntoView({ block: "start", behavior: REDUCED_MOTION ? "auto" : "smooth" });
  }

  var announceTimer = null;
  function announce(text) {
    // Emptied first, so the same words said twice are still heard; one region, so each change is said once.
    var region = $("announce");
    region.textContent = "";
    clearTimeout(announceTimer);
    announceTimer = setTimeout(function () { region.textContent = text; }, 60);
  }

  function messageCard(item, run) {
    var isCurrent = item.id === run.current;
    var li = el("li", { "class": "message" + (isCurrent ? " current" : " folded"), id: "msg-" + item.id });
    if (!isCurrent) {
      // Earlier messages fold, so the inbox stays short; she can open any of them again.
      var fold = el("details");
      var summary = el("summary", { "class": "message-summary" });
      summary.appendChild(el("span", { "class": "small" }, format(S.message_of, { n: item.number, total: run.total })));
      summary.appendChild(el("span", { "class": "summary-question" }, item.question));
      fold.appendChild(summary);
      fillCard(fold, item, run, false);
      li.appendChild(fold);
      return li;
    }
    fillCard(li, item, run, true);
    return li;
  }

  function fillCard(box, item, run, isCurrent) {
    // The card's heading comes first; the blogger's message and the question sit under it.
    // Focus moves to the current card's heading after an update (tabindex -1: reachable by script, not by Tab).
    var head = isCurrent ? el("h2", { "class": "message-head", id: "head-" + item.id, tabindex: "-1" })
      : el("p", { "class": "message-head" });
    head.appendChild(el("span", { "class": "channel" }, item.channel));
    head.appendChild(el("span", { "class": "small" }, format(S.message_of, { n: item.number, total: run.total })));
    box.appendChild(head);
    if (item.sensitive) { box.appendChild(el("p", { "class": "notice small" }, S.sensitive)); }
    box.appendChild(el("p", { "class": "dm" }, item.message));
    box.appendChild(el(isCurrent ? "h3" : "p", { "class": "question", id: "q-" + item.id }, item.question));
    var open = run.state === "live" && isCurrent && !item.revealed.results && !closedByTimer();
    if (open && (!item.answer || state.editing[item.id]) && !state.pending[item.id]) { box.appendChild(answerForm(item)); }
    else { box.appendChild(answerSummary(item, open, isCurrent)); }
    var solution = GPSItems.solutionBlock(item, item.solution, S);
    if (solution) { box.appendChild(solution); }
    if (item.info) {
      var info = el("div", { "class": "info" });
      info.appendChild(el(isCurrent ? "h3" : "p", { "class": "info-title" }, S.blogger_info)); info.appendChild(el("p", {}, item.info));
      box.appendChild(info);
    }
  }

  function answerSummary(item, open, isCurrent) {
    var box = el("div", { "class": "answer-summary" });
    if (state.pending[item.id]) { box.appendChild(el("p", {}, S.saving)); return box; }
    if (item.answer) {
      box.appendChild(el("p", { "class": "small" }, item.answer.skip ? "" : S.your_answer));
      box.appendChild(el("p", { "class": "mine" }, GPSItems.describeAnswer(item, item.answer, S)));
      box.appendChild(el("p", { "class": "saved small" }, S.saved));
    }
    if (open) {
      var change = el("button", { type: "button", "class": "button small" }, S.change);
      change.addEventListener("click", function () { state.editing[item.id] = true; render(); });
      box.appendChild(change);
    } else if (isCurrent && state.run.state === "live" && !item.revealed.results && closedByTimer()) {
      box.appendChild(el("p", { "class": "small" }, S.closed_by_timer));
    } else if (!item.answer && state.run.state === "live") {
      box.appendChild(el("p", { "class": "small" }, S.closed));
    }
    return box;
  }

  function answerForm(item) {
    var refused = state.refused[item.id] || null;
    return GPSItems.answerForm(item, item.answer, S, function (payload, problem) { submit(item, payload, problem); }, {
      labelledBy: "q-" + item.id, draft: loadDraft(item.id), refused: refused,
      onDraft: function (draft) { saveDraft(item.id, draft); }
    });
  }

  /* Sent until the server acknowledges (GPS.core): a refused answer brings her form back with her draft. */
  function submit(item, payload, problem) {
    delete state.refused[item.id];
    if (state.pending[item.id]) { state.pending[item.id].cancel(); }
    state.pending[item.id] = core.sendUntilAcked(socket, "phone:answer", { item: item.id, payload: payload },
      { done: function (err, ack) { delete state.pending[item.id]; answered(item.id, ack); } });
    $("save-state").textContent = S.saving;
    render();
  }

  function answered(itemId, ack) {
    var item = state.inbox.filter(function (x) { return x.id === itemId; })[0];
    if (ack.ok) {
      if (item) { item.answer = ack.answer; }
      delete state.editing[itemId];
      dropDraft(itemId);
      $("save-state").textContent = S.saved;
      render(); return;
    }
    // Refused: the form comes back with what she typed (her draft) and says why, on the refused word if one was.
    state.refused[itemId] = { code: ack.error, index: typeof ack.index === "number" ? ack.index : null };
    state.editing[itemId] = true;
    $("save-state").textContent = "";
    render();
    var card = $("msg-" + itemId);
    var box = card && card.querySelector(".answer-summary");
    if (box) { box.appendChild(el("p", { "class": "field-error", role: "alert" }, S.errors[ack.error] || S.errors["default"])); }
  }

  document.querySelectorAll("[data-signal]").forEach(function (button) {
    button.addEventListener("click", function () {
      var out = $("talk-status");
      core.sendUntilAcked(socket, "phone:signal", { kind: button.getAttribute("data-signal") }, { retry: false, clientId: false,
        done: function (err, ack) { out.textContent = !err && ack && ack.ok ? S.signal_sent : S.errors["default"]; } });
    });
  });
})();
