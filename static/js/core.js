/* The small shared base of every page script (GPS.core): connecting with reconnection, sending until the server
   acknowledges (a client-made id, so a resend is never saved twice), storage that never throws, ids, the
   "%(n)s" strings of the catalogs, and building DOM nodes with text only. No dependency: Socket.IO is the
   vendored client (static/vendor), loaded before this file where a page connects. */
var GPS = window.GPS || {};
GPS.core = (function () {
  "use strict";

  // Socket.IO's own backoff: from 1 s doubling to at most 4 s, each wait ±50 % at random, so a room of phones
  // that lost the Wi-Fi together does not come back in one burst.
  var RECONNECT = { reconnectionDelay: 1000, reconnectionDelayMax: 4000, randomizationFactor: 0.5 };
  var ACK_TIMEOUT = 8000, RESEND_AFTER = 1500;

  function merged(base, extra) {
    var out = {};
    [base, extra || {}].forEach(function (source) { Object.keys(source).forEach(function (k) { out[k] = source[k]; }); });
    return out;
  }

  /* Opens a socket with auth (or none) and registers handlers ({event: function}). options: manager (an
     io.Manager opened earlier, so the connection is already up when the token is known), any io() option. */
  function connect(auth, handlers, options) {
    options = options || {};
    var socket;
    if (options.manager) {
      socket = options.manager.socket(options.namespace || "/", auth ? { auth: auth } : {});
    } else {
      var settings = merged(RECONNECT, options);
      delete settings.namespace;
      if (auth) { settings.auth = auth; }
      socket = options.namespace ? window.io(options.namespace, settings) : window.io(settings);
    }
    Object.keys(handlers || {}).forEach(function (event) { socket.on(event, handlers[event]); });
    return socket;
  }

  /* The connection line of a page: status(text, kind) writes it; with a class prefix ("conn") its kind
     (ok, warn) becomes a class too. */
  function statusLine(node, prefix) {
    return function (text, kind) {
      if (!node) { return; }
      node.textContent = text || "";
      if (prefix) { node.className = prefix + " " + (kind || ""); }
    };
  }

  /* Emits event with payload (a client_id is added once, unless one is there) until an acknowledgement
     arrives: again after a timeout, and again on every reconnect. done(err, ack) is called once, with the
     server's {ok, ...}; with options.retry false it is one try (sent at once, or buffered by Socket.IO while
     offline) and a timeout ends it, as done(error). Returns a handle:
     clientId, cancel() (a later ack is then ignored), and pending(). */
  function sendUntilAcked(socket, event, payload, options) {
    options = options || {};
    var timeout = options.timeout || ACK_TIMEOUT, resendAfter = options.resendAfter || RESEND_AFTER;
    var body = merged(payload || {});
    if (options.clientId !== false && !body.client_id) { body.client_id = newId(); }
    var finished = false, attempt = 0, timer = null;

    function finish(err, ack) {
      if (finished) { return; }
      finished = true; clearTimeout(timer); socket.off("connect", resend);
      if (options.done) { options.done(err, ack); }
    }
    function send() {
      // Offline, the reconnect sends it; a single try goes to Socket.IO's buffer and times out there.
      if (finished || (!socket.connected && options.retry !== false)) { return; }
      var mine = ++attempt;
      socket.timeout(timeout).emit(event, body, function (err, ack) {
        if (finished || mine !== attempt) { return; }  // an older try: a newer one is under way
        if (!err) { finish(null, ack); return; }
        if (options.retry === false) { finish(err); return; }
        clearTimeout(timer); timer = setTimeout(send, resendAfter);
      });
    }
    function resend() { clearTimeout(timer); send(); }

    if (options.retry !== false) { socket.on("connect", resend); }
    send();
    return {
      clientId: body.client_id,
      cancel: function () { finished = true; clearTimeout(timer); socket.off("connect", resend); },
      pending: function () { return !finished; }
    };
  }

  /* localStorage / sessionStorage that never throw (private mode, storage off, quota full). */
  function store(kind) {
    function area() { try { return window[kind] || null; } catch (e) { return null; } }
    return {
      available: function () { return area() !== null; },
      get: function (key) { try { return area() ? area().getItem(key) : null; } catch (e) { return null; } },
      set: function (key, value) { try { if (area()) { area().setItem(key, value); return true; } } catch (e) { /* full */ } return false; },
      remove: function (key) { try { if (area()) { area().removeItem(key); } } catch (e) { /* off */ } }
    };
  }

  /* 24 hex characters from the browser's random source. */
  function newId() {
    var bytes = new Uint8Array(12); window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  /* "%(n)s of %(total)s" with {n: 3, total: 9}; a name without a value stays as written. */
  function format(template, values) {
    values = values || {};
    return String(template).replace(/%\((\w+)\)s/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) && values[name] !== null && values[name] !== undefined
        ? String(values[name]) : whole;
    });
  }

  /* el("p", {"class": "small"}, "text", node, ...): attributes as given; strings and numbers become text
     (never HTML), nodes are appended, null and undefined are skipped. */
  function el(tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === "") { continue; }
      node.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  return { connect: connect, statusLine: statusLine, sendUntilAcked: sendUntilAcked, storage: store("localStorage"),
           session: store("sessionStorage"), newId: newId, format: format, el: el, RECONNECT: RECONNECT };
})();
