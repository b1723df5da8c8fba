/* The girl's phone (issue 14): one script for the three ways of working. In a run (group, one-to-one) and in her
   online track she has the same inbox: the blogger's messages and her current one, answered through the item types
   (items.js), each answer sent with a client-made id until the server acknowledges it (GPS.core), drafts that
   survive a reload or a refusal, the three signals, the connection line, the quick exit. What only one way has is a
   small part of its own, chosen by the root's data-way: a run's lobby, timer, removal and next module (runWay),
   a track's coach messages, module done, return code and "forget this phone" (trackWay). */
(function () {
  "use strict";
  var root = document.querySelector("[data-way]");
  if (!root) { return; }
  var core = GPS.core, el = core.el, format = core.format, store = core.storage;
  function $(id) { return document.getElementById(id); }
  // A track page adds its own words; where both say one thing ("signal_seen"), the track's say "your coach".
  var S = Object.assign.apply(null, [{}].concat(["strings", "track-strings"].filter($).map(function (id) {
    return JSON.parse($(id).textContent);
  })));
  var keep = root.getAttribute("data-keep");  // her token's name in this phone's storage
  // WebSocket first (two round trips fewer than polling then upgrading: ~1 s on a slow phone link,
  // docs/benchmarks.md); polling still works where a network blocks WebSockets.
  var OPTIONS = { transports: ["websocket", "polling"], tryAllTransports: true };
  var REDUCED_MOTION = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var state = { inbox: [], current: null, total: null, pending: {}, editing: {}, refused: {}, justAnswered: null };
  var socket = null, manager = null, setStatus = core.statusLine($("conn"), "conn");
  var way = root.getAttribute("data-way") === "track" ? trackWay() : runWay();

  /* Start with her token: given by the page right after joining, or the one this phone kept. */
  function begin(token) {
    if (token) { store.set(keep, token); } else { token = store.get(keep); }
    if (!token) { way.noToken(); return; }
    pinStatusBar();
    live(token);
  }

  /* The status bar (a run's page) sticks under the quick-exit strip. It is moved out of the inbox to sit right after
     the page's header, so it sticks for the whole page (a sticky box only sticks inside its parent), and the page
     keeps the height of both free when it scrolls a card or a focused control into view, so neither covers it. */
  function pinStatusBar() {
    var bar = $("status-bar"), strip = document.querySelector(".quick-exit-box");
    if (!bar) { return; }
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
    var handlers = {
      connect: function () { setStatus(S.connected, "ok"); },
      disconnect: function () { setStatus(S.reconnecting, "warn"); },
      connect_error: function (err) { if (!way.gone(err && err.message)) { setStatus(S.offline, "warn"); } }
    };
    Object.keys(way.events).forEach(function (name) { handlers[name] = way.events[name]; });
    // With a manager (the join page opened it while she typed) the socket connects at once.
    socket = core.connect(way.auth(token), handlers, manager ? { manager: manager } : OPTIONS);
    socket.io.on("reconnect_attempt", function () { setStatus(S.reconnecting, "warn"); });
    window.addEventListener("gps:quick-exit", function () { forgetDrafts(); socket.close(); });
    // The browser knows at once when the network goes; the socket would only notice after its ping timeout
    // (~25 s). Closing the transport starts the reconnect loop now, so she sees "Reconnecting…" at once.
    window.addEventListener("offline", function () {
      setStatus(S.reconnecting, "warn");
      if (socket.io.engine) { socket.io.engine.close(); }
    });
  }

  /* She is out (removed, her run or track deleted, her track on another phone): nothing of hers stays here. */
  function leave() {
    store.remove(keep);
    forgetDrafts();
    if (socket) { socket.close(); }
    $("messages").textContent = ""; $("me").textContent = "";
    setStatus("", "");
  }

  function showMe(snap, noticeHidden) {
    $("me").textContent = snap.me.pseudonym;
    $("notice").hidden = !snap.notice || noticeHidden; $("notice").textContent = snap.notice || "";
  }

  // --- drafts: what she typed survives a language switch (a page load) and a refused answer -----------------

  function draftKey(itemId) { return keep + ":draft:" + itemId; }
  function saveDraft(itemId, draft) { core.session.set(draftKey(itemId), JSON.stringify(draft)); }
  function loadDraft(itemId) {
    try { return JSON.parse(core.session.get(draftKey(itemId)) || "null"); } catch (e) { return null; }
  }
  function dropDraft(itemId) { core.session.remove(draftKey(itemId)); }
  function forgetDrafts() { state.inbox.forEach(function (item) { dropDraft(item.id); }); }

  // --- the inbox: the same cards in every way ----------------------------------------------------------------

  function render() {
    if (!way.ready()) { return; }
    var hadFocusInInbox = root.contains(document.activeElement) && document.activeElement !== document.body;
    way.drawAround();
    drawCards(way.shownItems());
    way.afterCards(hadFocusInInbox);
  }

  /* Only cards whose content changed are rebuilt, so what she is typing or has unfolded elsewhere stays put. */
  function drawCards(items) {
    var list = $("messages");
    var cards = items.map(function (item) {
      var isCurrent = item.id === state.current, old = $("msg-" + item.id);
      var signature = JSON.stringify([item.revealed, item.answer, isCurrent, way.answerable(item), !!state.pending[item.id],
        !!state.editing[item.id], state.refused[item.id] || null, way.closedNote(item, isCurrent)]);
      if (old && old.getAttribute("data-sig") === signature) { return old; }
      var card = el("li", { "class": "message " + (isCurrent ? "current" : "folded" + (item.answer ? " answered" : "")),
                            id: "msg-" + item.id });
      if (isCurrent) { fillCard(card, item, true); } else { card.appendChild(fold(item)); }
      card.setAttribute("data-sig", signature);
      if (old) { old.remove(); }
      return card;
    });
    cards.forEach(function (card, n) { if (list.children[n] !== card) { list.insertBefore(card, list.children[n] || null); } });
    while (list.children.length > cards.length) { list.removeChild(list.lastChild); }
  }

  function label(item) { return format(state.total ? S.message_of : S.message_n, { n: item.number, total: state.total }); }

  /* Earlier messages fold, so the inbox stays short; she can open any of them again. Right after her answer in a
     track, the one she answered is open: the blogger's info. */
  function fold(item) {
    var details = el("details");
    details.open = item.id === state.justAnswered;
    details.appendChild(el("summary", { "class": "message-summary" }, el("span", { "class": "small" }, label(item)),
                           el("span", { "class": "summary-question" }, item.question)));
    fillCard(details, item, false);
    return details;
  }

  function fillCard(box, item, isCurrent) {
    // The card's heading comes first; the blogger's message and the question sit under it.
    // Focus moves to the current card's heading after an update (tabindex -1: reachable by script, not by Tab).
    var head = isCurrent ? el("h2", { "class": "message-head", id: "head-" + item.id, tabindex: "-1" })
      : el("p", { "class": "message-head" });
    head.appendChild(el("span", { "class": "channel" }, item.channel));
    head.appendChild(el("span", { "class": "small" }, label(item)));
    box.appendChild(head);
    if (item.module_title) {
      box.appendChild(el("p", { "class": "small module-name" }, format(S.module, { n: item.module }) + " · " + item.module_title));
    }
    if (item.sensitive) { box.appendChild(el("p", { "class": "notice small" }, S.sensitive)); }
    box.appendChild(el("p", { "class": "dm" }, item.message));
    box.appendChild(el(isCurrent ? "h3" : "p", { "class": "question", id: "q-" + item.id }, item.question));
    var open = way.answerable(item);
    if (open && (!item.answer || state.editing[item.id]) && !state.pending[item.id]) { box.appendChild(answerForm(item)); }
    else { box.appendChild(answerSummary(item, open, isCurrent)); }
    var solution = GPSItems.solutionBlock(item, item.solution, S);
    if (solution) { box.appendChild(solution); }
    if (item.info) {
      box.appendChild(el("div", { "class": "info" }, el(isCurrent ? "h3" : "p", { "class": "info-title" }, S.blogger_info),
                         el("p", {}, item.info)));
    }
  }

  function answerSummary(item, open, isCurrent) {
    var box = el("div", { "class": "answer-summary" });
    // Said once: by the status bar's line where the page has one, else here.
    if (state.pending[item.id]) { box.appendChild(el("p", $("save-state") ? {} : { role: "status" }, S.saving)); return box; }
    if (item.answer) {
      box.appendChild(el("p", { "class": "small" }, item.answer.skip ? "" : S.your_answer));
      box.appendChild(el("p", { "class": "mine" }, GPSItems.describeAnswer(item, item.answer, S)));
      box.appendChild(el("p", { "class": "saved small" }, S.saved));
    }
    var note = way.closedNote(item, isCurrent);
    if (open) {
      var change = el("button", { type: "button", "class": "button small" }, S.change);
      change.addEventListener("click", function () { state.editing[item.id] = true; render(); });
      box.appendChild(change);
    } else if (note) { box.appendChild(el("p", { "class": "small" }, note)); }
    return box;
  }

  function answerForm(item) {
    return GPSItems.answerForm(item, item.answer, S, function (payload) { submit(item, payload); }, {
      labelledBy: "q-" + item.id, draft: loadDraft(item.id), refused: state.refused[item.id] || null,
      onDraft: function (draft) { saveDraft(item.id, draft); }
    });
  }

  function saveState(text) { if ($("save-state")) { $("save-state").textContent = text; } }

  /* Sent until the server acknowledges (GPS.core): a refused answer brings her form back with her draft. */
  function submit(item, payload) {
    delete state.refused[item.id];
    if (state.pending[item.id]) { state.pending[item.id].cancel(); }
    state.pending[item.id] = core.sendUntilAcked(socket, "participant:answer", { item: item.id, payload: payload },
      { done: function (err, ack) { delete state.pending[item.id]; answered(item.id, ack); } });
    saveState(S.saving);
    render();
  }

  function answered(itemId, ack) {
    if (ack.ok) {
      delete state.editing[itemId];
      dropDraft(itemId);
      saveState(S.saved);
      way.answered(itemId, ack);
      render(); return;
    }
    if (way.gone(ack.error)) { return; }
    // Refused: the form comes back with what she typed (her draft) and says why, on the refused word if one was;
    // the server's picture is asked for again (her message may have moved on meanwhile).
    state.refused[itemId] = { code: ack.error, index: typeof ack.index === "number" ? ack.index : null };
    state.editing[itemId] = true;
    saveState("");
    render();
    var card = $("msg-" + itemId), box = card && card.querySelector(".answer-summary");
    if (box) { box.appendChild(el("p", { "class": "field-error", role: "alert" }, S.errors[ack.error] || S.errors["default"])); }
    socket.emit("participant:sync", {}, function (res) { if (res && res.ok) { way.snapshot(res.snapshot); render(); } });
  }

  function inboxItem(id) { return state.inbox.filter(function (x) { return x.id === id; })[0]; }

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

  document.querySelectorAll("[data-signal]").forEach(function (button) {
    button.addEventListener("click", function () {
      var kind = button.getAttribute("data-signal");
      core.sendUntilAcked(socket, "participant:signal", { kind: kind }, { retry: false, clientId: false, done: function (err, ack) {
        if (!err && ack && ack.ok) { way.signalSent(kind); return; }
        $("talk-status").textContent = (ack && S.errors[ack.error]) || S.errors["default"];
      } });
    });
  });

  /* --- a run: group or one-to-one, at her counsellor's pace (issue 13: or her own) ------------------------- */
  function runWay() {
    var run = null, shown = null, ticker = null, deadline = null, closesAtEnd = false;
    var joinUrl = root.getAttribute("data-join");

    function follow(next) {
      run = next; state.current = run.current; state.total = run.total;
      var timer = run.timer;
      deadline = timer ? Date.now() + timer.remaining * 1000 : null;
      closesAtEnd = !!(timer && timer.closes);
      $("timer").hidden = !timer;
      if (ticker) { clearInterval(ticker); ticker = null; }
      if (timer) { tick(); ticker = setInterval(tick, 1000); }
    }
    function stopTimer() { if (ticker) { clearInterval(ticker); ticker = null; } deadline = null; $("timer").hidden = true; }
    function secondsLeft() { return deadline === null ? null : Math.max(0, Math.ceil((deadline - Date.now()) / 1000)); }
    function closedByTimer() { return closesAtEnd && secondsLeft() === 0; }
    function tick() {
      var left = secondsLeft();
      if (left === null) { return; }
      $("timer-label").textContent = left > 0 ? S.time_left : S.time_up;
      $("timer-left").textContent = left > 0 ? Math.floor(left / 60) + ":" + ("0" + (left % 60)).slice(-2) : "";
      if (left === 0) {
        clearInterval(ticker); ticker = null;
        if (closesAtEnd) { render(); announce(S.closed_by_timer); }
      }
    }

    function snapshot(snap) {
      follow(snap.run); state.inbox = snap.inbox;
      showMe(snap, false);
      if (snap.next_module) { showNextModule(snap.next_module); }
    }
    function merge(item) {
      var known = inboxItem(item.id);
      item.answer = known ? known.answer : null;
      if (known) { state.inbox[state.inbox.indexOf(known)] = item; } else { state.inbox.push(item); }
    }
    // One-to-one (issue 13): her counsellor started the next module with her; this phone goes on as her there.
    function showNextModule(next) {
      if (!next || typeof next.link !== "string" || next.link.charAt(0) !== "/") { return; }
      $("next-module-link").setAttribute("href", next.link);
      $("next-module").hidden = false;
    }
    function showRemoved() {
      leave();
      stopTimer();
      $("removed").hidden = false;
      ["lobby", "talk", "ended"].forEach(function (id) { $(id).hidden = true; });
      saveState("");
      bringIntoView($("removed-title"));
      announce($("removed-title").textContent);
    }

    /* After a change the staff made, bring what changed into view, move focus to its heading and say it once. */
    function afterCards(hadFocusInInbox) {
      var current = inboxItem(run.current), heading = current && $("head-" + current.id);
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
        bringIntoView(heading); announce(S.new_message + ": " + current.question);
      } else if (current && (now.results !== before.results || now.info !== before.info)) {
        bringIntoView(heading);
        if (now.info && !before.info) { announce(S.info_shown); } else if (now.results && !before.results) { announce(S.results_shown); }
      } else if (hadFocusInInbox && !root.contains(document.activeElement) && heading) {
        heading.focus();  // her card was rebuilt under her focus: never leave it on the page body
      }
    }

    return {
      auth: function (token) { return { token: token }; },
      noToken: function () { window.location.replace(joinUrl); },
      gone: function (why) {
        if (why === "unknown_token") { leave(); window.location.replace(joinUrl); return true; }
        if (why === "removed") { showRemoved(); return true; }
        return false;
      },
      events: {
        snapshot: function (snap) { snapshot(snap); render(); },
        update: function (update) { follow(update.run); if (update.item) { merge(update.item); } render(); },
        ended: function () { if (run) { run.state = "ended"; run.timer = null; follow(run); } render(); },
        removed: showRemoved,
        next_module: showNextModule,
        "signal:seen": function () { $("talk-status").textContent = S.signal_seen; },
        // issue 11: her counsellor deleted the session; nothing stays here
        "run:deleted": function () { leave(); window.location.replace(joinUrl); }
      },
      snapshot: snapshot,
      ready: function () { return run !== null; },
      shownItems: function () { return state.inbox; },
      answerable: function (item) {
        return run.state === "live" && item.id === run.current && !item.revealed.results && !closedByTimer();
      },
      closedNote: function (item, isCurrent) {
        if (run.state !== "live" || way.answerable(item)) { return null; }
        if (isCurrent && !item.revealed.results && closedByTimer()) { return S.closed_by_timer; }
        return item.answer ? null : S.closed;
      },
      drawAround: function () {
        $("lobby").hidden = run.state !== "lobby";
        $("ended").hidden = run.state !== "ended";
        $("talk").hidden = run.state === "ended";
        if (run.state === "ended") { stopTimer(); }
      },
      afterCards: afterCards,
      answered: function (itemId, ack) { var item = inboxItem(itemId); if (item) { item.answer = ack.answer; } },
      signalSent: function () { $("talk-status").textContent = S.signal_sent; }
    };
  }

  /* --- her online track (issues 5, 13): her own pace, her coach's messages, coming back to it ------------- */
  function trackWay() {
    var snap = null, token = null, wentOn = null, noticed = {}, kinds = [], seen = false, scroll = false, replies = {};
    var LOCALES = { nl: "nl-BE", fr: "fr-BE", en: "en-GB" };
    function fill(text, n) { return format(text, { n: n }); }
    function track() { return snap.track; }

    function snapshot(next) {
      snap = next; state.inbox = snap.inbox; state.current = track().state === "open" ? track().current : null;
      kinds = (snap.signals_open || []).slice();  // the server's word: kinds her coach has not seen yet
    }

    /* Her token no longer opens the track here (another phone, forgotten, deleted, unknown): say why. */
    function forget(cardId) {
      leave();
      ["coach-messages", "return-code-value", "return-code-spoken"].forEach(function (id) { $(id).textContent = ""; });
      ["coach", "talk", "waiting", "finished", "progress-text", "notice", "closed", "paused", "module-done",
       "coach-notice", "return-code", "this-phone"].forEach(function (id) { $(id).hidden = true; });
      $(cardId).hidden = false;
    }

    function post(url, fields) {
      var body = new FormData();
      body.append("csrf_token", root.getAttribute("data-csrf"));
      Object.keys(fields).forEach(function (name) { body.append(name, fields[name]); });
      return fetch(url, { method: "POST", body: body, credentials: "same-origin",
                          headers: { "X-GPS-Replace": "1" }, cache: "no-store" });
    }

    /* Her return code: asked for once with her token; shown until she taps "written down", never kept. */
    function askReturnCode() {
      post(root.getAttribute("data-return-code-url"), { token: token })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (answer) {
          if (!answer || !answer.code) { return; }
          $("return-code-value").textContent = answer.code;
          $("return-code-spoken").textContent = answer.code.split("-").map(function (part) { return part.split("").join(" "); }).join(", ");
          $("return-code").hidden = false;
        })
        .catch(function () { /* offline: the code waits on the server for her next visit */ });
    }
    $("return-code-done").addEventListener("click", function () {
      $("return-code-value").textContent = ""; $("return-code-spoken").textContent = ""; $("return-code").hidden = true;
    });

    /* "Forget this phone": her token stops working on the server and leaves this browser. */
    function confirmForget(open) {
      $("forget-confirm").hidden = !open; $("forget-ask").setAttribute("aria-expanded", String(open));
      $(open ? "forget-yes" : "forget-ask").focus();
    }
    $("forget-ask").addEventListener("click", function () { confirmForget(true); });
    $("forget-no").addEventListener("click", function () { confirmForget(false); });
    $("forget-yes").addEventListener("click", function () {
      var mine = token;
      $("forget-yes").disabled = true;
      store.remove(keep);  // first: even offline, this browser no longer has it
      token = null;
      var done = function () { socket.close(); window.location.replace(root.getAttribute("data-forgotten-url")); };
      post(root.getAttribute("data-forget-url"), { token: mine }).then(done, done);
    });

    /* Counts what she answered ("You answered 12 messages"), never "1 of 57". */
    function drawProgress() {
      var n = track().answered || 0;
      $("progress-text").hidden = n === 0;
      $("progress-text").textContent = n === 1 ? S.answered_one : fill(S.answered_many, n);
    }

    /* A calm moment after a module: "Module 1 done. Come back when you like."; her next message waits behind
       "Go on" (when it is there), so finishing a module never pushes her straight into the next one. */
    function drawModuleDone() {
      var tr = track(), number = tr.module_done;
      var show = number !== null && number !== undefined && wentOn !== number && tr.waiting !== "done";
      $("module-done").hidden = !show;
      if (!show) { return false; }
      $("module-done-title").textContent = fill(S.module_done, number);
      $("module-done-go").hidden = !tr.current;
      $("module-done-wait").hidden = !!tr.current || tr.waiting !== "locked";
      var next = tr.current && (inboxItem(tr.current) || {}).module;
      $("module-done-go").textContent = next !== undefined && next !== null ? fill(S.go_on_to, next) : goOnLabel;
      return true;
    }
    var goOnLabel = $("module-done-go").textContent;
    $("module-done-go").addEventListener("click", function () {
      wentOn = track().module_done;
      $("module-done").hidden = true;
      render();
      var card = $("msg-" + track().current);
      if (card) { card.setAttribute("tabindex", "-1"); card.scrollIntoView({ block: "start" }); card.focus(); }
    });

    /* --- messages with her coach: times on both sides, in her own clock, short --- */
    function shortTime(iso) {
      if (!iso) { return ""; }
      var when = new Date(iso), now = new Date(), lang = LOCALES[document.documentElement.lang] || undefined;
      try {
        var time = when.toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" });
        if (when.toDateString() === now.toDateString()) { return time; }
        return when.toLocaleDateString(lang, { day: "numeric", month: "short" }) + " " + time;
      } catch (e) { return ""; }
    }
    function addMessage(row) {
      if (snap && !snap.messages.some(function (m) { return m.id === row.id; })) { snap.messages.push(row); }
    }
    function bubble(from, whoText, text, attrs) {
      var li = el("li", Object.assign({ "class": "bubble-row " + from }, attrs));
      li.appendChild(whoText);
      li.appendChild(el("p", { "class": "say" }, text));
      return li;
    }
    function drawThread() {
      var list = $("coach-messages"); list.textContent = "";
      snap.messages.forEach(function (m) {
        var who = el("span", { "class": "who small" }, m.from === "coach" ? S.from_coach : S.from_me), at = shortTime(m.at);
        if (at) { who.appendChild(el("time", { "class": "at", datetime: m.at }, " · " + at)); }
        list.appendChild(bubble(m.from === "coach" ? "from-coach" : "from-me", who, m.text, { id: "cm-" + m.id }));
      });
      Object.keys(replies).forEach(function (id) {
        list.appendChild(bubble("from-me pending", el("span", { "class": "who small" }, S.from_me + " · " + S.saving), replies[id].text, {}));
      });
      $("coach").hidden = track().state === "closed" && !snap.messages.length;
    }

    /* A coach message she has not read yet: a notice at the top that brings her to it. A message she has
       written after it counts as read (she was in the conversation), also after a reload. */
    function unreadFromCoach() {
      var lastMine = 0;
      snap.messages.forEach(function (m) { if (m.from !== "coach" && m.id > lastMine) { lastMine = m.id; } });
      return snap.messages.filter(function (m) { return m.from === "coach" && !m.read && m.id > lastMine && !noticed[m.id]; });
    }
    function drawCoachNotice() {
      var unread = unreadFromCoach();
      $("coach-notice").hidden = !unread.length || track().state === "closed";
      $("coach-notice-text").textContent = unread.length > 1 ? fill(S.new_from_coach_many, unread.length) : S.new_from_coach;
    }
    $("coach-notice-go").addEventListener("click", function () {
      var unread = unreadFromCoach(), first = unread[0];
      unread.forEach(function (m) { noticed[m.id] = true; });
      $("coach-notice").hidden = true;
      var target = first && $("cm-" + first.id);
      if (!target) { return; }
      target.setAttribute("tabindex", "-1");
      target.scrollIntoView({ block: "center" });
      target.focus();
    });

    var replyText = $("reply-text");
    function countReply() { $("reply-count").textContent = (280 - replyText.value.length) + " " + S.chars_left; }
    replyText.addEventListener("input", countReply); countReply();
    $("reply").addEventListener("submit", function (event) {
      event.preventDefault();
      var text = replyText.value.trim();
      $("reply-error").textContent = "";
      if (!text) { $("reply-error").textContent = S.errors.empty_message; return; }
      var entry = { text: text };
      entry.send = core.sendUntilAcked(socket, "participant:reply", { text: text }, { done: function (err, ack) { replied(entry, ack); } });
      replies[entry.send.clientId] = entry;
      unreadFromCoach().forEach(function (m) { noticed[m.id] = true; });  // she answers: she has read them
      replyText.value = ""; countReply(); drawThread(); drawCoachNotice();
    });
    function replied(entry, ack) {
      delete replies[entry.send.clientId];
      if (ack.ok) { addMessage(ack.message); }
      else { $("reply-error").textContent = S.errors[ack.error] || S.errors["default"]; replyText.value = entry.text; countReply(); }
      drawThread();
    }

    /* "I want to talk", "I need a break", "Talk afterwards": what happens next, honestly. */
    function drawSignalStatus() {
      var box = $("talk-status");
      box.textContent = "";
      if (!kinds.length && !seen) { return; }
      if (seen) { box.appendChild(el("p", { "class": "strong" }, S.signal_seen)); }
      ["talk", "talk_after", "break"].forEach(function (kind) {
        if (kinds.indexOf(kind) >= 0) { box.appendChild(el("p", { "class": "strong" }, S.signal_kinds[kind])); }
      });
      // When she usually answers matters only while a call to talk is still waiting; once seen, it would mislead.
      if (kinds.some(function (kind) { return kind !== "break"; })) {
        box.appendChild(el("p", {}, S.reply_within[snap.reply_within] || S.reply_within.none));
      }
      box.appendChild(el("p", {}, el("a", { href: "tel:116000" }, S.cannot_wait)));
    }

    return {
      auth: function (mine) { token = mine; askReturnCode(); return { track: mine, key: root.getAttribute("data-key") }; },
      noToken: function () { $("no-token").hidden = false; $("conn").textContent = ""; },
      gone: function (why) {
        var card = { unknown_token: "no-token", wrong_track: "no-token", token_revoked: "revoked" }[why];
        if (card) { forget(card); }
        return !!card;
      },
      events: {
        "track:snapshot": function (next) { snapshot(next); render(); },
        "track:message": function (row) {
          addMessage(row); drawThread();
          if (row.from === "coach") { announce(S.from_coach + ": " + row.text); drawCoachNotice(); }  // said once
        },
        "track:signal_seen": function (data) {
          kinds = kinds.filter(function (k) { return k !== (data && data.kind); });
          seen = true; drawSignalStatus();
        },
        // Her other page on this phone chose "forget this phone" (the token is gone from storage): not a takeover.
        "track:revoked": function () {
          if (store.available() && !store.get(keep)) {
            socket.close(); window.location.replace(root.getAttribute("data-forgotten-url")); return;
          }
          forget("revoked");
        },
        "track:deleted": function () { forget("deleted"); }
      },
      snapshot: snapshot,
      ready: function () { return snap !== null; },
      shownItems: function () {
        var moment = !$("module-done").hidden;
        return state.inbox.filter(function (item) { return !(item.id === track().current && moment); });
      },
      answerable: function (item) { return item.id === state.current; },
      closedNote: function () { return null; },
      drawAround: function () {
        var tr = track(), closed = tr.state === "closed";
        showMe(snap, closed);
        $("closed").hidden = !closed;
        $("paused").hidden = tr.state !== "paused";
        $("talk").hidden = closed;
        $("reply").hidden = closed;
        $("this-phone").hidden = false;
        drawProgress();
        var moment = drawModuleDone();
        $("waiting").hidden = moment || tr.waiting !== "locked";
        $("finished").hidden = tr.waiting !== "done";
        drawSignalStatus(); drawThread(); drawCoachNotice();
      },
      afterCards: function () {
        var card = scroll && $("msg-" + state.justAnswered);  // right after her answer: the blogger's info, then her next
        if (card) { card.scrollIntoView({ block: "start" }); }
        scroll = false;
      },
      answered: function (itemId, ack) { state.justAnswered = itemId; scroll = true; snapshot(ack.snapshot); },
      signalSent: function (kind) { if (kinds.indexOf(kind) < 0) { kinds.push(kind); } seen = false; drawSignalStatus(); }
    };
  }

  // On the join page the inbox waits, already loaded, until she has joined (no second page to fetch),
  // and the connection opens while she chooses her pseudonym: once joined, only her token is still to send.
  if (root.getAttribute("data-autostart") === "0") {
    manager = new io.Manager(Object.assign({}, core.RECONNECT, OPTIONS));
    manager.open();
    window.GPSInbox = { begin: begin };
  } else { begin(root.getAttribute("data-token")); }
})();
