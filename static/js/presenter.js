/* The projector: join QR while the door is open, the current message, a live count, and the
   group's results on reveal. It never receives pseudonyms. */
(function () {
  "use strict";
  var root = document.getElementById("screen");
  var S = JSON.parse(document.getElementById("strings").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var snap = null;
  var socket = io({ auth: { screen: root.getAttribute("data-token") }, reconnectionDelayMax: 4000 });

  socket.on("connect", function () { $("conn").textContent = ""; });
  socket.on("disconnect", function () { $("conn").textContent = S.reconnecting; });
  socket.on("screen:snapshot", show);
  socket.on("changed", function () { socket.emit("sync", {}, function (ack) { if (ack && ack.ok) { show(ack.snapshot); } }); });
  socket.on("ended", function () { socket.emit("sync", {}, function (ack) { if (ack && ack.ok) { show(ack.snapshot); } }); });
  socket.on("screen:counts", function (data) { if (snap) { snap.counts = data.counts; drawCounts(); } });

  function show(snapshot) {
    snap = snapshot;
    var run = snap.run, item = snap.item;
    $("join").hidden = !run.door_open || run.state === "ended";
    $("code").textContent = snap.code || "";
    $("joined").textContent = String(snap.joined);
    $("waiting").hidden = run.state !== "lobby" || run.door_open;
    $("ended").hidden = run.state !== "ended";
    $("item").hidden = !item;
    root.classList.toggle("with-join", !$("join").hidden && !!item);
    if (!item) { return; }
    $("channel").textContent = item.channel;
    $("number").textContent = S.message_of.replace("%(n)s", item.number).replace("%(total)s", run.total);
    $("message").textContent = item.message;
    $("question").textContent = item.question;
    GPSResults.render($("results"), item, snap.aggregate, item.solution, S);
    $("info").hidden = !item.info;
    $("info-text").textContent = item.info || "";
    drawCounts();
  }

  function drawCounts() {
    var c = snap && snap.counts;
    $("counts").textContent = c ? c.answered + " " + S.answered + " · " + c.skipped + " " + S.skipped : "";
  }
})();
