/* The girl's personal track (issues 5, 13): her inbox at her own pace, and messages with her coach.
   Renders from the server's snapshot; answers and replies carry a client-made id and are resent until
   the server acknowledges them. The message types come from items.js (GPSItems), like the group inbox.
   Coming back (issue 13): her used invitation tapped again opens her track when this browser holds it; her
   return code is fetched once with her token and never kept; "forget this phone" logs this browser out. */
(function () {
  "use strict";
  var again = document.getElementById("track-again");  // track_back.html: her used invitation, tapped again
  if (!again) { return; }
  if (GPS.core.storage.get("gps:track:" + again.getAttribute("data-key"))) {
    document.getElementById("again-explain").hidden = true;
    document.getElementById("again-opening").hidden = false;
    window.location.replace(again.getAttribute("data-url"));
  }
})();

(function () {
  "use strict";
  var root = document.getElementById("track");
  if (!root) { return; }
  var S = JSON.parse(document.getElementById("strings").textContent);
  var T = JSON.parse(document.getElementById("track-strings").textContent);
  var core = GPS.core, el = core.el, store = core.storage;
  var $ = function (id) { return document.getElementById(id); };
  var key = root.getAttribute("data-key");
  var storeKey = "gps:track:" + key;
  var token = root.getAttribute("data-token");
  var state = { snap: null, pending: null, replies: {}, lastAnswered: null, scroll: false, lastError: null,
                wentOn: null, noticed: {}, kinds: [], seen: false };

  if (token) { store.set(storeKey, token); }
  if (!token) { token = store.get(storeKey); }
  if (!token) { $("no-token").hidden = false; $("conn").textContent = ""; return; }

  var setStatus = core.statusLine($("conn"), "conn");
  function fill(text, n) { return core.format(text, { n: n }); }
  var socket = core.connect({ track: token, key: key }, {
    connect: function () { setStatus(S.connected, "ok"); },
    disconnect: function () { setStatus(S.reconnecting, "warn"); },
    connect_error: function (err) {
      var why = err && err.message;
      if (why === "unknown_token" || why === "wrong_track") { forget("no-token"); }
      else { setStatus(S.offline, "warn"); }
    }
  });
  socket.on("track:snapshot", function (snap) { state.snap = snap; render(); });
  socket.on("track:message", function (row) {
    addMessage(row); drawThread();
    if (row.from === "coach") {
      announce(T.from_coach + ": " + row.text);  // said once, not the whole thread
      drawCoachNotice();
    }
  });
  function announce(text) {
    var region = $("announce"); region.textContent = "";
    setTimeout(function () { region.textContent = text; }, 60);
  }
  socket.on("track:signal_seen", function (data) { signalSeen(data && data.kind); });
  // Her other page on this phone chose "forget this phone" (the token is gone from storage): say that, not a takeover.
  socket.on("track:revoked", function () {
    var gone = store.available() && !store.get(storeKey);
    if (gone) { socket.close(); window.location.replace(root.getAttribute("data-forgotten-url")); return; }
    forget("revoked");
  });
  socket.on("track:deleted", function () { forget("deleted"); });
  window.addEventListener("gps:quick-exit", function () { socket.close(); });

  /* Another phone took the track over, or this token is unknown: forget it and show why. */
  function forget(cardId) {
    store.remove(storeKey);
    socket.close();
    ["messages", "coach-messages", "return-code-value", "return-code-spoken"].forEach(function (id) { $(id).textContent = ""; });
    ["coach", "talk", "waiting", "finished", "progress-text", "notice", "closed", "paused", "module-done",
     "coach-notice", "return-code", "this-phone"].forEach(function (id) { $(id).hidden = true; });
    $(cardId).hidden = false; $("me").textContent = ""; setStatus("", "");
  }

  /* --- her return code: asked for once with her token; shown until she taps "written down" --- */
  function post(url, fields) {
    var body = new FormData();
    body.append("csrf_token", root.getAttribute("data-csrf"));
    Object.keys(fields).forEach(function (name) { body.append(name, fields[name]); });
    return fetch(url, { method: "POST", body: body, credentials: "same-origin",
                        headers: { "X-GPS-Replace": "1" }, cache: "no-store" });
  }
  post(root.getAttribute("data-return-code-url"), { token: token })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (answer) {
      if (!answer || !answer.code) { return; }
      $("return-code-value").textContent = answer.code;
      $("return-code-spoken").textContent = answer.code.split("-").map(function (part) { return part.split("").join(" "); }).join(", ");
      $("return-code").hidden = false;
    })
    .catch(function () { /* offline: the code waits on the server for her next visit */ });
  $("return-code-done").addEventListener("click", function () {
    $("return-code-value").textContent = ""; $("return-code-spoken").textContent = ""; $("return-code").hidden = true;
  });

  /* --- "forget this phone": her token stops working on the server and leaves this browser --- */
  $("forget-ask").addEventListener("click", function () {
    $("forget-confirm").hidden = false; $("forget-ask").setAttribute("aria-expanded", "true"); $("forget-yes").focus();
  });
  $("forget-no").addEventListener("click", function () {
    $("forget-confirm").hidden = true; $("forget-ask").setAttribute("aria-expanded", "false"); $("forget-ask").focus();
  });
  $("forget-yes").addEventListener("click", function () {
    var mine = token;
    $("forget-yes").disabled = true;
    store.remove(storeKey);  // first: even offline, this browser no longer has it
    token = null;
    var done = function () { socket.close(); window.location.replace(root.getAttribute("data-forgotten-url")); };
    post(root.getAttribute("data-forget-url"), { token: mine }).then(done, done);
  });

  function render() {
    var snap = state.snap, tr = snap.track, closed = tr.state === "closed";
    $("me").textContent = snap.me.pseudonym;
    $("notice").hidden = !snap.notice || closed; $("notice").textContent = snap.notice || "";
    $("closed").hidden = !closed;
    $("paused").hidden = tr.state !== "paused";
    $("talk").hidden = closed;
    $("reply").hidden = closed;
    $("this-phone").hidden = false;
    drawProgress(tr);
    var moment = drawModuleDone(tr);
    $("waiting").hidden = moment || tr.waiting !== "locked";
    $("finished").hidden = tr.waiting !== "done";
    state.kinds = (snap.signals_open || []).slice();  // the server's word: kinds her coach has not seen yet
    drawSignalStatus();
    drawThread(); drawCoachNotice(); drawInbox();
  }

  /* Counts what she answered ("You answered 12 messages"), never "1 of 57". */
  function drawProgress(tr) {
    var n = tr.answered || 0;
    $("progress-text").hidden = n === 0;
    $("progress-text").textContent = n === 1 ? T.answered_one : fill(T.answered_many, n);
  }

  /* A calm moment after a module: "Module 1 done. Come back when you like."; her next message waits behind
     "Go on" (when it is there), so finishing a module never pushes her straight into the next one. */
  function drawModuleDone(tr) {
    var number = tr.module_done;
    var show = number !== null && number !== undefined && state.wentOn !== number && tr.waiting !== "done";
    $("module-done").hidden = !show;
    if (!show) { return false; }
    $("module-done-title").textContent = fill(T.module_done, number);
    $("module-done-go").hidden = !tr.current;
    $("module-done-wait").hidden = !!tr.current || tr.waiting !== "locked";
    if (tr.current) {
      var next = (state.snap.inbox.filter(function (i) { return i.id === tr.current; })[0] || {}).module;
      $("module-done-go").textContent = next !== undefined ? fill(T.go_on_to, next) : goOnLabel;
    }
    return true;
  }
  var goOnLabel = $("module-done-go").textContent;
  $("module-done-go").addEventListener("click", function () {
    state.wentOn = state.snap.track.module_done;
    $("module-done").hidden = true;
    drawInbox();
    var card = $("msg-" + state.snap.track.current);
    if (card) { card.setAttribute("tabindex", "-1"); card.scrollIntoView({ block: "start" }); card.focus(); }
  });

  function momentShown() { return !$("module-done").hidden; }

  /* Cards whose content did not change stay in place, so what she is typing or has unfolded stays put. */
  function drawInbox() {
    var list = $("messages"), tr = state.snap.track;
    var items = state.snap.inbox.filter(function (item) { return !(item.id === tr.current && momentShown()); });
    var cards = items.map(function (item) {
      var isCurrent = item.id === tr.current && tr.state === "open";
      var sig = JSON.stringify([item.answer, isCurrent, !!(state.pending && state.pending.item === item.id),
        isCurrent && state.lastError]);
      var old = $("msg-" + item.id);
      if (old && old.getAttribute("data-sig") === sig) { return old; }
      var card = isCurrent ? currentCard(item) : rereadCard(item);
      card.setAttribute("data-sig", sig);
      if (old) { old.remove(); }
      return card;
    });
    cards.forEach(function (card, n) { if (list.children[n] !== card) { list.insertBefore(card, list.children[n] || null); } });
    while (list.children.length > cards.length) { list.removeChild(list.lastChild); }
    if (state.scroll) {  // right after her answer: the blogger's info, then her next message
      var answered = $("msg-" + state.lastAnswered);
      if (answered) { answered.scrollIntoView({ block: "start" }); }
      state.scroll = false;
    }
  }

  function head(item) {
    var box = el("div", { "class": "message-head" });
    box.appendChild(el("span", { "class": "channel" }, item.channel));
    box.appendChild(el("span", { "class": "small" }, fill(T.message_n, item.number)));
    return box;
  }

  function body(li, item) {
    li.appendChild(el("p", { "class": "small module-name" }, fill(T.module, item.module) + " · " + item.module_title));
    if (item.sensitive) { li.appendChild(el("p", { "class": "notice small" }, S.sensitive)); }
    li.appendChild(el("p", { "class": "dm" }, item.message));
    li.appendChild(el("h2", { "class": "question" }, item.question));
  }

  /* An answered message: folded so the inbox stays short, open right after her answer (the blogger's info). */
  function rereadCard(item) {
    var li = el("li", { "class": "message answered", id: "msg-" + item.id });
    var details = el("details", {});
    if (item.id === state.lastAnswered) { details.open = true; }
    var summary = el("summary", {});
    summary.appendChild(el("span", { "class": "small" }, fill(T.message_n, item.number) + " · "));
    summary.appendChild(el("span", {}, item.question));
    details.appendChild(summary);
    details.appendChild(head(item)); body(details, item);
    var mine = el("div", { "class": "answer-summary" });
    if (item.answer) {
      mine.appendChild(el("p", { "class": "small" }, item.answer.skip ? "" : S.your_answer));
      mine.appendChild(el("p", { "class": "mine" }, GPSItems.describeAnswer(item, item.answer, S)));
    }
    details.appendChild(mine);
    var solution = GPSItems.solutionBlock(item, item.solution, S);
    if (solution) { details.appendChild(solution); }
    if (item.info) {
      var info = el("div", { "class": "info" });
      info.appendChild(el("h3", {}, S.blogger_info)); info.appendChild(el("p", {}, item.info));
      details.appendChild(info);
    }
    li.appendChild(details);
    return li;
  }

  function currentCard(item) {
    var li = el("li", { "class": "message current", id: "msg-" + item.id });
    li.appendChild(head(item)); body(li, item);
    if (state.pending && state.pending.item === item.id) {
      li.appendChild(el("p", { role: "status" }, S.saving));
      return li;
    }
    var form = GPSItems.answerForm(item, null, S, function (payload) { submit(item, payload); });
    var problem = form.querySelector(".field-error");
    problem.id = "answer-error";
    li.appendChild(form);
    if (state.lastError) { problem.textContent = state.lastError; }
    return li;
  }

  /* Her answer and her replies are sent until the server acknowledges them (GPS.core). */
  function submit(item, payload) {
    state.lastError = null;
    state.pending = { item: item.id };
    core.sendUntilAcked(socket, "track:answer", { item: item.id, payload: payload },
      { done: function (err, ack) { state.pending = null; answered(item.id, ack); } });
    drawInbox();
  }

  function answered(itemId, ack) {
    if (ack.ok) { state.lastAnswered = itemId; state.scroll = true; state.snap = ack.snapshot; render(); return; }
    if (ack.error === "token_revoked") { forget("revoked"); return; }
    state.lastError = S.errors[ack.error] || S.errors["default"];
    socket.emit("track:sync", {}, function (res) { if (res && res.ok) { state.snap = res.snapshot; } render(); });
  }

  /* --- messages with her coach: times on both sides, in her own clock, short --- */
  var LOCALES = { nl: "nl-BE", fr: "fr-BE", en: "en-GB" };
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
    if (!state.snap) { return; }
    var known = state.snap.messages.some(function (m) { return m.id === row.id; });
    if (!known) { state.snap.messages.push(row); }
  }

  function drawThread() {
    var list = $("coach-messages"); list.textContent = "";
    state.snap.messages.forEach(function (m) {
      var li = el("li", { "class": "bubble-row " + (m.from === "coach" ? "from-coach" : "from-me"), id: "cm-" + m.id });
      var who = el("span", { "class": "who small" }, m.from === "coach" ? T.from_coach : T.from_me);
      var at = shortTime(m.at);
      if (at) { who.appendChild(el("time", { "class": "at", datetime: m.at }, " · " + at)); }
      li.appendChild(who);
      li.appendChild(el("p", { "class": "say" }, m.text));
      list.appendChild(li);
    });
    Object.keys(state.replies).forEach(function (id) {
      var li = el("li", { "class": "bubble-row from-me pending" });
      li.appendChild(el("span", { "class": "who small" }, T.from_me + " · " + S.saving));
      li.appendChild(el("p", { "class": "say" }, state.replies[id].text));
      list.appendChild(li);
    });
    $("coach").hidden = state.snap.track.state === "closed" && !state.snap.messages.length;
  }

  /* A coach message she has not read yet: a notice at the top that brings her to it. A message she has
     written after it counts as read (she was in the conversation), also after a reload. */
  function unreadFromCoach() {
    var lastMine = 0;
    state.snap.messages.forEach(function (m) { if (m.from !== "coach" && m.id > lastMine) { lastMine = m.id; } });
    return state.snap.messages.filter(function (m) {
      return m.from === "coach" && !m.read && m.id > lastMine && !state.noticed[m.id];
    });
  }
  function drawCoachNotice() {
    var unread = unreadFromCoach();
    $("coach-notice").hidden = !unread.length || state.snap.track.state === "closed";
    $("coach-notice-text").textContent = unread.length > 1 ? fill(T.new_from_coach_many, unread.length) : T.new_from_coach;
  }
  $("coach-notice-go").addEventListener("click", function () {
    var unread = unreadFromCoach(), first = unread[0];
    unread.forEach(function (m) { state.noticed[m.id] = true; });
    $("coach-notice").hidden = true;
    var target = first && $("cm-" + first.id);
    if (!target) { return; }
    target.setAttribute("tabindex", "-1");
    target.scrollIntoView({ block: "center" });
    target.focus();
  });

  var replyText = $("reply-text");
  function countReply() { $("reply-count").textContent = (280 - replyText.value.length) + " " + T.chars_left; }
  replyText.addEventListener("input", countReply); countReply();
  $("reply").addEventListener("submit", function (event) {
    event.preventDefault();
    var text = replyText.value.trim();
    $("reply-error").textContent = "";
    if (!text) { $("reply-error").textContent = S.errors.empty_message; return; }
    var entry = { text: text };
    entry.send = core.sendUntilAcked(socket, "track:reply", { text: text }, { done: function (err, ack) { replied(entry, ack); } });
    state.replies[entry.send.clientId] = entry;
    unreadFromCoach().forEach(function (m) { state.noticed[m.id] = true; });  // she answers: she has read them
    replyText.value = ""; countReply(); drawThread(); drawCoachNotice();
  });

  function replied(entry, ack) {
    delete state.replies[entry.send.clientId];
    if (ack.ok) { addMessage(ack.message); }
    else { $("reply-error").textContent = S.errors[ack.error] || S.errors["default"]; replyText.value = entry.text; countReply(); }
    drawThread();
  }

  /* --- "I want to talk", "I need a break", "Talk afterwards": what happens next, honestly --- */
  var KINDS = ["talk", "talk_after", "break"];
  function drawSignalStatus() {
    var box = $("talk-status"), reply = state.snap && state.snap.reply_within;
    box.textContent = "";
    if (!state.kinds.length && !state.seen) { return; }
    if (state.seen) { box.appendChild(el("p", { "class": "strong" }, T.signal_seen)); }
    KINDS.forEach(function (kind) {
      if (state.kinds.indexOf(kind) >= 0) { box.appendChild(el("p", { "class": "strong" }, T.signal_kinds[kind])); }
    });
    // When she usually answers matters only while a call to talk is still waiting; once seen, it would mislead.
    if (state.kinds.some(function (kind) { return kind !== "break"; })) {
      box.appendChild(el("p", {}, T.reply_within[reply] || T.reply_within.none));
    }
    var call = el("p", {});
    call.appendChild(el("a", { href: "tel:116000" }, T.cannot_wait));
    box.appendChild(call);
  }
  function signalSeen(kind) {
    state.kinds = state.kinds.filter(function (k) { return k !== kind; });
    state.seen = true; drawSignalStatus();
  }

  document.querySelectorAll("[data-signal]").forEach(function (button) {
    button.addEventListener("click", function () {
      var kind = button.getAttribute("data-signal");
      core.sendUntilAcked(socket, "track:signal", { kind: kind }, { retry: false, clientId: false, done: function (err, ack) {
        if (!err && ack && ack.ok) {
          if (state.kinds.indexOf(kind) < 0) { state.kinds.push(kind); }
          state.seen = false; drawSignalStatus(); return;
        }
        $("talk-status").textContent = (ack && S.errors[ack.error]) || S.errors["default"];
      } });
    });
  });
})();
