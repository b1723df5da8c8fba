/* What the dashboard (facilitator.js) and the coach's track page (coach.js) both draw, drawn once (GPS.staff):
   the connection line, the server's refusal in words, the hide/show button of an answer, and a girl's signal
   with its "Seen" button (a seen one stays on the list, greyed). Built on GPS.core (static/js/core.js). */
GPS.staff = (function () {
  "use strict";
  var el = GPS.core.el;

  /* "Connected" / "Reconnecting…" under the page title, kept by the socket's own events. */
  function connectionLine(socket, node, strings) {
    var status = GPS.core.statusLine(node);
    socket.on("connect", function () { status(strings.connected); });
    socket.on("disconnect", function () { status(strings.reconnecting); });
    return status;
  }

  /* The server's refusal code in words (the page's list of error texts), or the list's default. */
  function errorText(errors, code) { return (code && errors[code]) || errors["default"]; }

  /* An answer's hide/show button. options: hidden, texts {hide, show}, label (its accessible name, or none),
     attrs (id, data-key, class), onToggle(button): the page sends facilitator:hide and draws again. */
  function hideButton(options) {
    var attrs = { type: "button", "class": "button small" };
    Object.keys(options.attrs || {}).forEach(function (key) { attrs[key] = options.attrs[key]; });
    if (options.label) { attrs["aria-label"] = options.label; }
    var button = el("button", attrs, options.hidden ? options.texts.show : options.texts.hide);
    button.addEventListener("click", function () { options.onToggle(button); });
    return button;
  }

  /* A signal row: who, what (strings.kinds, or fallback), when (a <time>), then "seen" or the button that marks
     it seen (onSeen). options: kinds, fallback, when (the time as text), seen, acknowledge, key (data-key). */
  function signalRow(sig, options) {
    var li = el("li", { "class": "signal" + (sig.seen ? " seen" : "") });
    var text = el("span", { "class": "signal-text" }, el("strong", {}, sig.pseudonym || ""),
      " " + (options.kinds[sig.kind] || options.fallback || sig.kind) + " ",
      el("time", { datetime: sig.at, "class": "small" }, options.when(sig.at)));
    li.appendChild(text);
    if (sig.seen) {
      li.appendChild(el("span", { "class": "small" }, options.seen));
      return li;
    }
    var attrs = { type: "button", "class": "button small", "aria-label": options.acknowledge + (sig.pseudonym ? ": " + sig.pseudonym : "") };
    if (options.key) { attrs["data-key"] = "seen-" + sig.id; }
    var button = el("button", attrs, options.acknowledge);
    button.addEventListener("click", function () { options.onSeen(sig, button); });
    li.appendChild(button);
    return li;
  }

  return { connectionLine: connectionLine, errorText: errorText, hideButton: hideButton, signalRow: signalRow };
})();
