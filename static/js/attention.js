/* The attention count on every staff page (issue 13): "Attention (2)" in the menu and "(2) " before the title,
   kept live from `facilitator:attention_changed` (the whole state) and `facilitator:attention_added` /
   `facilitator:attention_removed` (deltas); a new item is shown in a notice, said once to a screen reader and, for a
   new signal, rung softly (her choice, kept with her account). The attention page draws its list from the same state
   (static/js/attention_page.js listens for the "gps:attention" event). Pages with a staff socket of their own
   publish it as window.GPSStaffSocket, so this script adds no second connection there. */
(function () {
  "use strict";
  var link = document.getElementById("attention-link");
  if (!link || typeof io === "undefined" || !window.GPS) { return; }
  var format = GPS.core.format;
  var S = JSON.parse(document.getElementById("attention-strings").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var shared = window.GPSStaffSocket;
  var socket = shared || GPS.core.connect(null, {});
  var soundOn = link.getAttribute("data-sound") === "1";
  var baseTitle = document.title.replace(/^\(\d+\) /, "");
  var clock = new Intl.DateTimeFormat(document.documentElement.lang || undefined, { hour: "2-digit", minute: "2-digit" });
  // The dashboard tells of its own run's signals, the coach's page of its girl's messages: not twice.
  var dashboard = $("dashboard"), coach = $("coach-view");
  var pageRun = dashboard ? Number(dashboard.getAttribute("data-run")) : null;
  var pageTrack = coach ? Number(coach.getAttribute("data-track")) : null;

  var items = null;  // the rows of the last state and the deltas since (null until the first state)
  var KINDS = ["signal", "messages", "checkin", "idle"];  // most urgent first, as the server sorts them

  function sync() { socket.emit("facilitator:attention_sync", {}, function (ack) { if (ack && ack.ok) { show(ack.state); } }); }
  socket.on("connect", sync);
  if (socket.connected) { sync(); }
  socket.on("facilitator:attention_changed", show);
  // The hot path sends deltas (a run's signal, its acknowledgement, a check-in): nothing was read for them.
  socket.on("facilitator:attention_added", function (data) {
    if (items === null) { sync(); return; }  // before the first state: ask again rather than guess
    show(state(items.filter(function (row) { return row.key !== data.item.key; }).concat([data.item])));
  });
  socket.on("facilitator:attention_removed", function (data) {
    if (items === null) { sync(); return; }
    show(state(items.filter(function (row) { return row.key !== data.key; })));
  });

  function state(rows) {
    rows.sort(function (a, b) {
      return (KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind)) || (a.at < b.at ? 1 : a.at > b.at ? -1 : 0);
    });
    return { count: rows.length, items: rows };
  }
  if (!shared) {  // the page's own script handles a sign-out on its socket
    socket.on("facilitator:signed_out", function () { socket.close(); window.location.replace("/login"); });
  }

  function show(now) {
    var fresh = items === null ? [] : now.items.filter(function (row) { return !has(row.key); });
    items = now.items.slice();
    drawCount(now.count);
    tell(fresh.filter(function (row) { return row.kind !== "idle" && !pageTells(row); }));
    document.dispatchEvent(new CustomEvent("gps:attention", { detail: now }));
  }
  function has(key) { return items.some(function (row) { return row.key === key; }); }

  function drawCount(count) {
    $("attention-count").textContent = count ? "(" + count + ")" : "";
    link.classList.toggle("has-items", count > 0);
    document.title = count ? "(" + count + ") " + baseTitle : baseTitle;
  }

  function pageTells(row) {
    return (row.kind === "signal" && row.run === pageRun) || (row.kind === "messages" && row.track === pageTrack);
  }

  function tell(fresh) {
    if (!fresh.length) { return; }
    var newest = fresh[0];  // the state comes most urgent first
    var text = describe(newest) + " (" + newest.squad + ", " + clock.format(new Date(newest.at)) + ")";
    $("attention-notice-text").textContent = text;
    $("attention-notice").hidden = !!$("attention-page");  // the attention page shows it in its list
    GPSAlerts.announce($("attention-announce"), S["new"] + ": " + text);
    if (soundOn && fresh.some(function (row) { return row.kind === "signal"; })) { GPSAlerts.chime(); }
  }
  $("attention-notice-close").addEventListener("click", function () { $("attention-notice").hidden = true; });

  /* "Lotte wants to talk", in the page's language (the strings come with the page, the state is the same for all). */
  function describe(row) {
    var what = {
      signal: function () { return S.kinds[row.signal_kind] || row.signal_kind; },
      messages: function () { return row.count === 1 ? S.message : format(S.messages, { n: row.count }); },
      checkin: function () { return format(S.checkin, { emoji: row.emoji, value: row.value }); },
      idle: function () { return format(S.idle, { n: row.days }); }
    }[row.kind];
    return row.pseudonym + " " + (what ? what() : "");
  }

  window.GPSAttention = { socket: socket, describe: describe, sync: sync };
})();
