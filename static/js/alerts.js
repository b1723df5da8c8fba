/* What staff pages share to tell of something new (issues 6, 13): a soft tone and a sentence said once to a
   screen reader. Used by the dashboard (a signal of its run) and by attention.js (any item of her list). */
(function () {
  "use strict";
  var audio = null, lastChime = 0;

  function audioContext() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!audio && Context) { audio = new Context(); }
    return audio;
  }

  // The tone is made here (no audio file, nothing fetched): two soft sine notes, about half a second. Two scripts
  // telling of the same signal at once (the dashboard and the attention count) give one tone, not two.
  function chime() {
    var now = Date.now();
    if (now - lastChime < 1500) { return; }
    lastChime = now;
    var ctx = audioContext(); if (!ctx) { return; }
    if (ctx.state === "suspended") { ctx.resume(); }
    [[660, 0], [880, 0.18]].forEach(function (note) {
      var osc = ctx.createOscillator(), gain = ctx.createGain(), at = ctx.currentTime + note[1];
      osc.type = "sine"; osc.frequency.value = note[0];
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.08, at + 0.03);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.3);
      osc.connect(gain); gain.connect(ctx.destination);
      osc.start(at); osc.stop(at + 0.32);
    });
  }
  // Browsers only let a page play sound after a click: the first click anywhere unlocks it.
  document.addEventListener("click", function () {
    var ctx = audioContext(); if (ctx && ctx.state === "suspended") { ctx.resume(); }
  }, { once: true });

  // A polite live region is emptied first and filled a moment later, so the same sentence twice is said twice.
  function announce(region, text) {
    if (!region) { return; }
    region.textContent = "";
    clearTimeout(region.gpsAnnounceTimer);
    region.gpsAnnounceTimer = setTimeout(function () { region.textContent = text; }, 60);
  }

  window.GPSAlerts = { chime: chime, announce: announce };
})();
