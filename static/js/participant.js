/* The girl's inbox. Renders from the server's snapshot and updates; answers are sent with a
   client-made id and resent until the server acknowledges them (phones sleep, Wi-Fi drops). */
(function () {
  "use strict";
  var root = document.getElementById("app");
  var S = JSON.parse(document.getElementById("strings").textContent);
  var el = GPSItems.el;
  var runKey = "gps:" + root.getAttribute("data-run");
  var state = { run: null, inbox: [], pending: {}, editing: {} };

  var status = document.getElementById("conn");
  var socket = null, manager = null;
  // WebSocket first (two round trips fewer than polling then upgrading: ~1 s on a slow phone link,
  // docs/benchmarks.md); polling still works where a network blocks WebSockets.
  var OPTIONS = { reconnectionDelayMax: 4000, transports: ["websocket", "polling"], tryAllTransports: true };

  function storage() { try { return window.localStorage; } catch (e) { return null; } }
  function setStatus(text, kind) { status.textContent = text; status.className = "conn " + (kind || ""); }

  /* Start with her token: given by the page right after joining, or the one this phone kept. */
  function begin(token) {
    if (token && storage()) { storage().setItem(runKey, token); }
    if (!token && storage()) { token = storage().getItem(runKey); }
    if (!token) { window.location.replace(root.getAttribute("data-join")); return; }
    live(token);
  }

  // On the join page the inbox waits, already loaded, until she has joined (no second page to fetch),
  // and the connection opens while she chooses her pseudonym: once joined, only her token is still to send.
  if (root.getAttribute("data-autostart") === "0") {
    manager = new io.Manager(OPTIONS);
    manager.open();
    window.GPSInbox = { begin: begin };
  } else { begin(root.getAttribute("data-token")); }

  function live(token) {
    if (manager) {
      socket = manager.socket("/", { auth: { token: token } });  // connects at once (autoConnect)
    } else {
      socket = io(Object.assign({ auth: { token: token } }, OPTIONS));
    }

    socket.on("connect", function () { setStatus(S.connected, "ok"); flushPending(); });
    socket.on("disconnect", function () { setStatus(S.reconnecting, "warn"); });
    socket.io.on("reconnect_attempt", function () { setStatus(S.reconnecting, "warn"); });
    socket.on("connect_error", function (err) {
      if (err && (err.message === "unknown_token")) {
        if (storage()) { storage().removeItem(runKey); }
        window.location.replace(root.getAttribute("data-join"));
      } else if (err && err.message === "removed") {
        showRemoved();
      } else { setStatus(S.offline, "warn"); }
    });
    socket.on("snapshot", function (snap) {
      state.run = snap.run; state.inbox = snap.inbox;
      document.getElementById("me").textContent = snap.me.pseudonym;
      var notice = document.getElementById("notice");
      notice.hidden = !snap.notice; notice.textContent = snap.notice || "";
      render();
    });
    socket.on("update", function (update) {
      state.run = update.run;
      if (update.item) { merge(update.item); }
      render();
    });
    socket.on("ended", function () { if (state.run) { state.run.state = "ended"; } render(); });
    socket.on("removed", showRemoved);
    socket.on("signal:seen", function () { document.getElementById("talk-status").textContent = S.signal_seen; });
    window.addEventListener("gps:quick-exit", function () { socket.close(); });
  }

  function merge(item) {
    var known = state.inbox.filter(function (x) { return x.id === item.id; })[0];
    if (known) { item.answer = known.answer; state.inbox[state.inbox.indexOf(known)] = item; }
    else { item.answer = null; state.inbox.push(item); }
  }

  function showRemoved() {
    if (storage()) { storage().removeItem(runKey); }
    socket.close();
    document.getElementById("removed").hidden = false;
    ["lobby", "talk"].forEach(function (id) { document.getElementById(id).hidden = true; });
    document.getElementById("messages").textContent = "";
    setStatus("", "");
  }

  function render() {
    var run = state.run; if (!run) { return; }
    document.getElementById("lobby").hidden = run.state !== "lobby";
    document.getElementById("ended").hidden = run.state !== "ended";
    document.getElementById("talk").hidden = run.state === "ended";
    var list = document.getElementById("messages");
    // Only cards whose content changed are rebuilt, so text she is typing elsewhere stays put.
    state.inbox.forEach(function (item) {
      var old = document.getElementById("msg-" + item.id);
      var signature = JSON.stringify([item.revealed, item.answer, run.current, run.state, !!state.pending[item.id], !!state.editing[item.id]]);
      if (old && old.getAttribute("data-sig") === signature) { return; }
      var card = messageCard(item, run);
      card.setAttribute("data-sig", signature);
      if (old) { list.replaceChild(card, old); }
      else { list.appendChild(card); if (item.id === run.current) { card.scrollIntoView({ block: "start", behavior: "smooth" }); } }
    });
  }

  function messageCard(item, run) {
    var li = el("li", { "class": "message" + (item.id === run.current ? " current" : ""), id: "msg-" + item.id });
    var head = el("div", { "class": "message-head" });
    head.appendChild(el("span", { "class": "channel" }, item.channel));
    head.appendChild(el("span", { "class": "small" }, S.message_of.replace("%(n)s", item.number).replace("%(total)s", run.total)));
    li.appendChild(head);
    if (item.sensitive) { li.appendChild(el("p", { "class": "notice small" }, S.sensitive)); }
    li.appendChild(el("p", { "class": "dm" }, item.message));
    li.appendChild(el("h2", { "class": "question" }, item.question));
    var open = run.state === "live" && item.id === run.current && !item.revealed.results;
    if (open && (!item.answer || state.editing[item.id]) && !state.pending[item.id]) { li.appendChild(answerForm(item)); }
    else { li.appendChild(answerSummary(item, open)); }
    var solution = GPSItems.solutionBlock(item, item.solution, S);
    if (solution) { li.appendChild(solution); }
    if (item.info) {
      var info = el("div", { "class": "info" });
      info.appendChild(el("h3", {}, S.blogger_info)); info.appendChild(el("p", {}, item.info));
      li.appendChild(info);
    }
    return li;
  }

  function answerSummary(item, open) {
    var box = el("div", { "class": "answer-summary" });
    if (state.pending[item.id]) { box.appendChild(el("p", { role: "status" }, S.saving)); return box; }
    if (item.answer) {
      box.appendChild(el("p", { "class": "small" }, item.answer.skip ? "" : S.your_answer));
      box.appendChild(el("p", { "class": "mine" }, GPSItems.describeAnswer(item, item.answer, S)));
      box.appendChild(el("p", { "class": "saved small" }, S.saved));
    }
    if (open) {
      var change = el("button", { type: "button", "class": "button small" }, S.change);
      change.addEventListener("click", function () { state.editing[item.id] = true; render(); });
      box.appendChild(change);
    } else if (!item.answer && state.run.state === "live") {
      box.appendChild(el("p", { "class": "small" }, S.closed));
    }
    return box;
  }

  function answerForm(item) {
    return GPSItems.answerForm(item, item.answer, S, function (payload, problem) { submit(item, payload, problem); });
  }

  function newId() {
    var bytes = new Uint8Array(12); window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function submit(item, payload, problem) {
    state.pending[item.id] = { item: item.id, payload: payload, client_id: newId(), problem: problem };
    render(); send(state.pending[item.id]);
  }

  function send(entry) {
    if (!socket.connected) { return; } // flushPending resends on connect
    socket.timeout(8000).emit("answer", { item: entry.item, payload: entry.payload, client_id: entry.client_id },
      function (err, ack) {
        if (state.pending[entry.item] !== entry) { return; }
        if (err) { setTimeout(function () { send(entry); }, 1500); return; }
        delete state.pending[entry.item];
        var item = state.inbox.filter(function (x) { return x.id === entry.item; })[0];
        if (ack.ok) { if (item) { item.answer = ack.answer; } delete state.editing[entry.item]; render(); return; }
        render();
        var card = document.getElementById("msg-" + entry.item);
        var box = card && card.querySelector(".field-error, .answer-summary");
        if (box) { var p = el("p", { "class": "field-error", role: "alert" }, S.errors[ack.error] || S.errors["default"]); box.appendChild(p); }
      });
  }

  function flushPending() { Object.keys(state.pending).forEach(function (id) { send(state.pending[id]); }); }

  document.querySelectorAll("[data-signal]").forEach(function (button) {
    button.addEventListener("click", function () {
      var out = document.getElementById("talk-status");
      socket.timeout(8000).emit("signal", { kind: button.getAttribute("data-signal") }, function (err, ack) {
        out.textContent = !err && ack && ack.ok ? S.signal_sent : S.errors["default"];
      });
    });
  });
})();
