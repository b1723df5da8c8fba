/* The girl's personal track (issue 5): her inbox at her own pace, and messages with her coach.
   Renders from the server's snapshot; answers and replies carry a client-made id and are resent until
   the server acknowledges them. The message types come from items.js (GPSItems), like the group inbox. */
(function () {
  "use strict";
  var root = document.getElementById("track");
  var S = JSON.parse(document.getElementById("strings").textContent);
  var T = JSON.parse(document.getElementById("track-strings").textContent);
  var el = GPSItems.el;
  var $ = function (id) { return document.getElementById(id); };
  var key = root.getAttribute("data-key");
  var storeKey = "gps:track:" + key;
  var token = root.getAttribute("data-token");
  var state = { snap: null, pending: null, replies: {}, lastAnswered: null, scroll: false, lastError: null };

  function storage() { try { return window.localStorage; } catch (e) { return null; } }
  if (token && storage()) { storage().setItem(storeKey, token); }
  if (!token && storage()) { token = storage().getItem(storeKey); }
  if (!token) { $("no-token").hidden = false; $("conn").textContent = ""; return; }

  var socket = io({ auth: { track: token, key: key }, reconnectionDelayMax: 4000 });
  function setStatus(text, kind) { $("conn").textContent = text; $("conn").className = "conn " + (kind || ""); }

  socket.on("connect", function () { setStatus(S.connected, "ok"); flush(); });
  socket.on("disconnect", function () { setStatus(S.reconnecting, "warn"); });
  socket.on("connect_error", function (err) {
    var why = err && err.message;
    if (why === "unknown_token" || why === "wrong_track") { forget("no-token"); }
    else { setStatus(S.offline, "warn"); }
  });
  socket.on("track:snapshot", function (snap) { state.snap = snap; render(); });
  socket.on("track:message", function (row) {
    addMessage(row); drawThread();
    if (row.from === "coach") { announce(T.from_coach + ": " + row.text); }  // said once, not the whole thread
  });
  function announce(text) {
    var region = $("announce"); region.textContent = "";
    setTimeout(function () { region.textContent = text; }, 60);
  }
  socket.on("track:signal_seen", function () { $("talk-status").textContent = T.signal_seen; });
  socket.on("track:revoked", function () { forget("revoked"); });
  socket.on("track:deleted", function () { forget("deleted"); });
  window.addEventListener("gps:quick-exit", function () { socket.close(); });

  /* Another phone took the track over, or this token is unknown: forget it and show why. */
  function forget(cardId) {
    if (storage()) { storage().removeItem(storeKey); }
    socket.close();
    ["messages", "coach-messages"].forEach(function (id) { $(id).textContent = ""; });
    ["coach", "talk", "waiting", "finished", "progress-box", "notice", "closed"].forEach(function (id) { $(id).hidden = true; });
    $(cardId).hidden = false; $("me").textContent = ""; setStatus("", "");
  }

  function render() {
    var snap = state.snap, tr = snap.track, closed = tr.state === "closed";
    $("me").textContent = snap.me.pseudonym;
    $("notice").hidden = !snap.notice || closed; $("notice").textContent = snap.notice || "";
    $("closed").hidden = !closed;
    $("talk").hidden = closed;
    $("reply").hidden = closed;
    $("coach").hidden = closed && !snap.messages.length;
    $("progress-box").hidden = false;
    $("progress-text").textContent = tr.position ? S.message_of.replace("%(n)s", tr.position).replace("%(total)s", tr.total)
      : T.done_of.replace("%(done)s", tr.done).replace("%(total)s", tr.total);
    $("progress-bar").value = tr.total ? tr.done / tr.total : 0;
    $("waiting").hidden = closed || tr.finished || !!tr.current;
    $("finished").hidden = !tr.finished;
    if (snap.signal_open && !$("talk-status").textContent) { $("talk-status").textContent = T.signal_sent; }
    drawThread(); drawInbox();
  }

  /* Cards whose content did not change stay in place, so what she is typing or has unfolded stays put. */
  function drawInbox() {
    var list = $("messages"), tr = state.snap.track;
    var cards = state.snap.inbox.map(function (item) {
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
    box.appendChild(el("span", { "class": "small" }, S.message_of.replace("%(n)s", item.number).replace("%(total)s", state.snap.track.total)));
    return box;
  }

  function body(li, item) {
    li.appendChild(el("p", { "class": "small module-name" }, T.module.replace("%(n)s", item.module) + " · " + item.module_title));
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
    summary.appendChild(el("span", { "class": "small" }, S.message_of.replace("%(n)s", item.number).replace("%(total)s", state.snap.track.total) + " · "));
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

  function newId() {
    var bytes = new Uint8Array(12); window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function submit(item, payload) {
    state.lastError = null;
    state.pending = { item: item.id, payload: payload, client_id: newId() };
    drawInbox(); sendAnswer(state.pending);
  }

  function sendAnswer(entry) {
    if (!socket.connected) { return; } // flush() resends on connect
    socket.timeout(8000).emit("track:answer", { item: entry.item, payload: entry.payload, client_id: entry.client_id },
      function (err, ack) {
        if (state.pending !== entry) { return; }
        if (err) { setTimeout(function () { sendAnswer(entry); }, 1500); return; }
        state.pending = null;
        if (ack.ok) { state.lastAnswered = entry.item; state.scroll = true; state.snap = ack.snapshot; render(); return; }
        if (ack.error === "token_revoked") { forget("revoked"); return; }
        state.lastError = T.errors[ack.error] || S.errors[ack.error] || T.errors["default"];
        socket.emit("track:sync", {}, function (res) { if (res && res.ok) { state.snap = res.snapshot; } render(); });
      });
  }

  /* Messages with her coach */
  function addMessage(row) {
    if (!state.snap) { return; }
    var known = state.snap.messages.some(function (m) { return m.id === row.id; });
    if (!known) { state.snap.messages.push(row); }
  }

  function drawThread() {
    var list = $("coach-messages"); list.textContent = "";
    state.snap.messages.forEach(function (m) {
      var li = el("li", { "class": "bubble-row " + (m.from === "coach" ? "from-coach" : "from-me") });
      li.appendChild(el("span", { "class": "who small" }, m.from === "coach" ? T.from_coach : T.from_me));
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

  var replyText = $("reply-text");
  function countReply() { $("reply-count").textContent = (280 - replyText.value.length) + " " + T.chars_left; }
  replyText.addEventListener("input", countReply); countReply();
  $("reply").addEventListener("submit", function (event) {
    event.preventDefault();
    var text = replyText.value.trim();
    $("reply-error").textContent = "";
    if (!text) { $("reply-error").textContent = T.errors.empty; return; }
    var entry = { text: text, client_id: newId() };
    state.replies[entry.client_id] = entry;
    replyText.value = ""; countReply(); drawThread(); sendReply(entry);
  });

  function sendReply(entry) {
    if (!socket.connected) { return; }
    socket.timeout(8000).emit("track:reply", { text: entry.text, client_id: entry.client_id }, function (err, ack) {
      if (!state.replies[entry.client_id]) { return; }
      if (err) { setTimeout(function () { sendReply(entry); }, 1500); return; }
      delete state.replies[entry.client_id];
      if (ack.ok) { addMessage(ack.message); }
      else { $("reply-error").textContent = T.errors[ack.error] || T.errors["default"]; replyText.value = entry.text; countReply(); }
      drawThread();
    });
  }

  function flush() {
    if (state.pending) { sendAnswer(state.pending); }
    Object.keys(state.replies).forEach(function (id) { sendReply(state.replies[id]); });
  }

  document.querySelectorAll("[data-signal]").forEach(function (button) {
    button.addEventListener("click", function () {
      socket.timeout(8000).emit("track:signal", { kind: button.getAttribute("data-signal") }, function (err, ack) {
        $("talk-status").textContent = !err && ack && ack.ok ? T.signal_sent
          : (ack && T.errors[ack.error]) || T.errors["default"];
      });
    });
  });
})();
