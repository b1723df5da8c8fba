/* The projector: join QR while the door is open, then one phase of the live message at a time (the choices
   while the girls answer, the group's results, the blogger's info part by part). It never receives pseudonyms.
   Nobody scrolls a projector: after every change fit() sizes the type to the space (issue 15). */
(function () {
  "use strict";
  var root = document.getElementById("screen");
  var S = JSON.parse(document.getElementById("strings").textContent);
  var core = GPS.core, el = core.el, format = core.format;
  var $ = function (id) { return document.getElementById(id); };
  var snap = null;
  var socket = core.connect({ screen: root.getAttribute("data-token") }, {});

  socket.on("connect", function () { $("conn").textContent = ""; });
  socket.on("disconnect", function () { $("conn").textContent = S.reconnecting; });
  socket.on("presenter:snapshot", show);
  socket.on("ended", sync);
  socket.on("presenter:counts", function (data) {
    if (!snap) { return; }
    snap.counts = data.counts;
    drawCounts();
    if (overflows()) { fit(); }  // a longer count may wrap the top line
  });
  window.addEventListener("resize", function () { if (snap) { fit(); } });

  function sync() { socket.emit("sync", {}, function (ack) { if (ack && ack.ok) { show(ack.snapshot); } }); }

  function show(snapshot) {
    snap = snapshot;
    var run = snap.run, item = snap.item;
    document.body.classList.toggle("theme-light", snap.theme === "light");
    document.body.classList.toggle("theme-dark", snap.theme !== "light");
    $("join").hidden = !run.door_open || run.state === "ended";
    $("code").textContent = snap.code || "";
    $("joined").textContent = String(snap.joined);
    $("waiting").hidden = run.state !== "lobby" || run.door_open;
    $("ended").hidden = run.state !== "ended";
    $("item").hidden = !item;
    root.classList.toggle("with-join", !$("join").hidden && !!item);
    root.setAttribute("data-phase", item ? snap.phase : run.state);
    root.setAttribute("data-item", item ? item.id : "");
    root.setAttribute("data-part", snap.info_part ? String(snap.info_part.index) : "");
    root.setAttribute("data-parts", snap.info_part ? String(snap.info_part.count) : "");
    if (item) { drawItem(item); }
    drawTimer();
    fit();
    announce(item);
  }

  /* One sentence for a screen reader when the wall changes (a new message, the results, an info part), never
     the whole screen again. */
  var announced = "";
  function announce(item) {
    var text = !item ? "" : snap.phase === "info" ? $("info-title").textContent.trim() :
      snap.phase === "results" ? S.results + ": " + item.question : $("number").textContent + ": " + item.question;
    if (text !== announced) { $("announce").textContent = text; announced = text; }
  }

  /* "116 000" is one number: never split over two lines on the wall. */
  function keepTogether(text) { return (text || "").replace(/116 000/g, "116\u00a0000"); }

  function drawItem(item) {
    $("channel").textContent = item.channel;
    $("number").textContent = format(S.message_of, { n: item.number, total: snap.run.total });
    $("message").textContent = keepTogether(item.message);
    $("message").hidden = snap.phase !== "answering";
    $("question").textContent = keepTogether(item.question);
    drawChoices(item);
    drawResults(item);
    drawInfo();
    drawCounts();
  }

  // --- while the girls answer: what they choose from (the type's `choices`, static/js/item_types/) ------
  function drawChoices(item) {
    var box = $("choices");
    box.textContent = "";
    box.hidden = snap.phase !== "answering";
    var type = GPS.itemTypes.get(item.type);
    if (!box.hidden && type) { box.appendChild(type.choices(item, S)); }
  }

  // --- after the reveal: the group's results, unless the group is too small to stay anonymous -------
  function drawResults(item) {
    var showing = snap.phase === "results";
    $("private").hidden = !(showing && snap.private);
    $("private").textContent = format(S["private"], { k: snap.min_group });
    var agg = showing && !snap.private ? snap.aggregate : null;
    GPSResults.render($("results"), item, agg, item.solution, S, { screen: true });
  }

  function drawInfo() {
    var part = snap.phase === "info" ? snap.info_part : null;
    $("info").hidden = !part;
    $("info-text").textContent = part ? keepTogether(part.text) : "";
    $("info-part").textContent = part && part.count > 1 ? (part.index + 1) + "/" + part.count : "";
  }

  function drawCounts() {
    var c = snap && snap.counts;
    $("counts").textContent = c ? format(S.n_of_m_answered, { n: c.answered + c.skipped, total: c.joined }) : "";
  }

  // --- the optional timer of the message: counts down here from what the server said was left ---------
  var timerTick = null;
  function drawTimer() {
    var timer = snap.run.timer, box = $("timer");
    if (timerTick) { clearInterval(timerTick); timerTick = null; }
    box.hidden = !timer || !snap.item;
    if (box.hidden) { return; }
    var ends = Date.now() + timer.remaining * 1000;
    function tick() {
      var left = Math.max(0, Math.round((ends - Date.now()) / 1000));
      box.textContent = S.time_left + " " + Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      if (!left && timerTick) { clearInterval(timerTick); timerTick = null; }
    }
    tick();
    timerTick = setInterval(tick, 1000);
  }

  // --- fit: the largest type at which everything is on screen, never below the readable minimum -------
  /* --fit scales all type (screen.css): up to FIT_MAX when the screen has room (a short info reads from further
     away), never below FIT_MIN, where body text would drop under 36 px on a 1920x1080 image.
     When even FIT_MIN does not fit, the screen gives up the least needed thing first: the blogger's message
     (the girls have it on their phones), then one column of choices for two, then the join strip's QR code, then
     the question above the info, and last the rows that do not fit ("and 5 more"; the girls' phones have them all). */
  var FIT_MIN = 0.74, FIT_MAX = 1.3, STEPS = 8;
  var FALLBACKS = ["fit-no-message", "fit-columns", "fit-small-join", "fit-no-question"];
  // Rows that may be left off, last first, when nothing else makes the screen fit (content far beyond the usual).
  var TRIMMABLE = "#results .text-card, #results .cloud-word, #results .bar-row, #results .agree-row, #results .bubble, " +
    "#choices li, #choices .bubble";

  function overflows() {
    return root.scrollHeight > root.clientHeight + 1 || root.scrollWidth > root.clientWidth + 1;
  }

  function setFit(value) { root.style.setProperty("--fit", value.toFixed(3)); }

  function bestFit() {
    setFit(FIT_MAX);
    if (!overflows()) { return true; }
    setFit(FIT_MIN);
    if (overflows()) { return false; }
    var low = FIT_MIN, high = FIT_MAX;
    for (var i = 0; i < STEPS; i++) {
      var mid = (low + high) / 2;
      setFit(mid);
      if (overflows()) { high = mid; } else { low = mid; }
    }
    setFit(low);
    return true;
  }

  function trimmable() {
    return Array.prototype.slice.call(root.querySelectorAll(TRIMMABLE));
  }

  function fit() {
    root.removeAttribute("data-fitted");
    FALLBACKS.forEach(function (c) { root.classList.remove(c); });
    trimmable().forEach(function (n) { n.hidden = false; });
    $("more").hidden = true;
    var fitted = bestFit(), level = 0;
    for (; !fitted && level < FALLBACKS.length; level++) {
      root.classList.add(FALLBACKS[level]);
      fitted = bestFit();
    }
    if (!fitted) { trim(); }
    // What it took, for the browser test's figures: the fallbacks used and the type scale reached.
    root.setAttribute("data-fit", (fitted ? level : "trim") + " " + root.style.getPropertyValue("--fit"));
    root.setAttribute("data-fitted", "1");
  }

  function trim() {
    var nodes = trimmable(), hidden = 0;
    setFit(FIT_MIN);
    $("more").hidden = false;
    while (overflows() && hidden < nodes.length) {
      nodes[nodes.length - 1 - hidden].hidden = true;
      hidden += 1;
      $("more").textContent = format(S.more, { n: hidden });
    }
    $("more").hidden = hidden === 0;
  }
})();
