"""static/js/core.js (GPS.core) in a real Chromium: send until acknowledged against a fake socket, format,
storage, ids and el; and the staff widgets on it (static/js/staff_widgets.js, GPS.staff). The page is served by Playwright itself (a route on a made-up origin, so localStorage is
a real one), with nothing but core.js on it."""
from __future__ import annotations

from pathlib import Path

import pytest

JS = Path(__file__).resolve().parents[2] / "static" / "js"
CORE_JS = (JS / "core.js").read_text(encoding="utf-8")
WIDGETS_JS = (JS / "staff_widgets.js").read_text(encoding="utf-8")
ORIGIN = "http://core.test"

# A socket that records what is emitted; the test answers (ack or timeout error) and fires connect itself.
FAKE_SOCKET = """
window.FakeSocket = function () {
  var self = this;
  this.connected = true; this.handlers = {}; this.sent = [];
  this.on = function (event, fn) { (self.handlers[event] = self.handlers[event] || []).push(fn); };
  this.off = function (event, fn) { self.handlers[event] = (self.handlers[event] || []).filter(function (f) { return f !== fn; }); };
  this.fire = function (event) { (self.handlers[event] || []).slice().forEach(function (fn) { fn(); }); };
  this.timeout = function (ms) {
    return { emit: function (event, body, callback) { self.sent.push({ event: event, body: body, ms: ms, callback: callback }); } };
  };
};
window.wait = function (ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); };
"""


@pytest.fixture()
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    html = f"<!doctype html><html lang='en'><body><script>{CORE_JS}</script><script>{WIDGETS_JS}</script><script>{FAKE_SOCKET}</script></body></html>"
    page.route(f"{ORIGIN}/**", lambda route: route.fulfill(status=200, content_type="text/html", body=html))
    page.goto(f"{ORIGIN}/")
    yield page
    context.close()


def test_an_ack_on_the_first_try_ends_it_once_with_the_servers_answer(page):
    result = page.evaluate("""async () => {
      var socket = new FakeSocket(), calls = [];
      var handle = GPS.core.sendUntilAcked(socket, "participant:answer", { item: 3 }, { done: function (err, ack) { calls.push([err, ack]); } });
      var first = socket.sent[0];
      first.callback(null, { ok: true, answer: 1 });
      first.callback(null, { ok: true, answer: 2 });  // a second answer to the same emit counts for nothing
      socket.fire("connect");                          // nor does a reconnect after the ack
      await wait(20);
      return { sent: socket.sent.length, event: first.event, body: first.body, ms: first.ms, calls: calls,
               clientId: handle.clientId, pending: handle.pending(), listeners: socket.handlers.connect.length };
    }""")
    assert result["sent"] == 1 and result["event"] == "participant:answer" and result["ms"] == 8000
    assert result["body"]["item"] == 3 and result["body"]["client_id"] == result["clientId"]
    assert len(result["clientId"]) == 24 and all(c in "0123456789abcdef" for c in result["clientId"])
    assert result["calls"] == [[None, {"ok": True, "answer": 1}]]
    assert result["pending"] is False and result["listeners"] == 0


def test_a_timeout_resends_with_the_same_client_id_until_an_ack(page):
    result = page.evaluate("""async () => {
      var socket = new FakeSocket(), calls = [];
      GPS.core.sendUntilAcked(socket, "participant:answer", { item: 1 }, { resendAfter: 10, done: function (err, ack) { calls.push(ack); } });
      socket.sent[0].callback(new Error("operation has timed out"));
      await wait(40);
      var afterTimeout = socket.sent.length;
      socket.sent[1].callback(null, { ok: false, error: "closed" });
      socket.sent[0].callback(null, { ok: true });   // the first try's late answer: already done
      return { afterTimeout: afterTimeout, ids: socket.sent.map(function (s) { return s.body.client_id; }), calls: calls };
    }""")
    assert result["afterTimeout"] == 2
    assert len(set(result["ids"])) == 1
    assert result["calls"] == [{"ok": False, "error": "closed"}]  # a refusal is an answer too: not resent


def test_offline_it_waits_for_the_connection_and_resends_on_every_reconnect(page):
    result = page.evaluate("""async () => {
      var socket = new FakeSocket(), calls = [];
      socket.connected = false;
      var handle = GPS.core.sendUntilAcked(socket, "participant:reply", { text: "hi", client_id: "mine" },
        { done: function (err, ack) { calls.push(ack.ok); } });
      var offline = socket.sent.length;
      socket.connected = true; socket.fire("connect");
      socket.fire("disconnect"); socket.fire("connect");  // lost again before the ack: sent again
      var stale = socket.sent[0];
      stale.callback(new Error("timeout"));           // the older try times out: the newer one is under way
      await wait(1700);
      var beforeAck = socket.sent.length;
      socket.sent[1].callback(null, { ok: true });
      return { offline: offline, beforeAck: beforeAck, ids: socket.sent.map(function (s) { return s.body.client_id; }),
               calls: calls, pending: handle.pending() };
    }""")
    assert result["offline"] == 0
    assert result["beforeAck"] == 2
    assert result["ids"] == ["mine", "mine"]  # a client_id given by the caller is kept
    assert result["calls"] == [True] and result["pending"] is False


def test_without_retry_a_timeout_ends_it_with_the_error_and_cancel_ignores_a_late_ack(page):
    result = page.evaluate("""async () => {
      var socket = new FakeSocket(), errors = [], late = [];
      GPS.core.sendUntilAcked(socket, "participant:signal", { kind: "talk" }, { retry: false, clientId: false,
        done: function (err, ack) { errors.push(err ? err.message : ack); } });
      socket.sent[0].callback(new Error("timeout"));
      socket.connected = false;  // a single try offline goes to Socket.IO's buffer at once (it sends it on connect)
      GPS.core.sendUntilAcked(socket, "participant:signal", { kind: "break" }, { retry: false, done: function () {} });
      socket.connected = true;
      var handle = GPS.core.sendUntilAcked(socket, "participant:answer", {}, { done: function () { late.push(1); } });
      handle.cancel();
      socket.sent[2].callback(null, { ok: true });
      socket.fire("connect");
      await wait(20);
      return { errors: errors, late: late, hasId: "client_id" in socket.sent[0].body, sent: socket.sent.length };
    }""")
    assert result["errors"] == ["timeout"] and result["hasId"] is False
    assert result["late"] == [] and result["sent"] == 3  # no try more after a reconnect


def test_format_fills_every_name_and_leaves_unknown_ones(page):
    result = page.evaluate("""() => [
      GPS.core.format("Message %(n)s of %(total)s", { n: 3, total: 9 }),
      GPS.core.format("%(n)s and %(n)s", { n: 0 }),
      GPS.core.format("%(name)s said %(x)s", { name: "<b>Lina</b>" }),
      GPS.core.format("no names", {})
    ]""")
    assert result == ["Message 3 of 9", "0 and 0", "<b>Lina</b> said %(x)s", "no names"]


def test_storage_gets_sets_removes_and_never_throws_when_storage_is_off(page):
    result = page.evaluate("""() => {
      var s = GPS.core.storage, out = [];
      out.push(s.available(), s.set("gps:k", "v"), s.get("gps:k"), window.localStorage.getItem("gps:k"));
      s.remove("gps:k"); out.push(s.get("gps:k"));
      GPS.core.session.set("d", "1"); out.push(window.sessionStorage.getItem("d"));
      Object.defineProperty(window, "localStorage", { get: function () { throw new Error("SecurityError"); } });
      out.push(s.available(), s.set("gps:k", "v"), s.get("gps:k"));
      s.remove("gps:k");
      return out;
    }""")
    assert result == [True, True, "v", "v", None, "1", False, False, None]


def test_ids_differ_and_el_writes_text_never_html(page):
    result = page.evaluate("""() => {
      var ids = {}; for (var i = 0; i < 200; i++) { ids[GPS.core.newId()] = true; }
      var node = GPS.core.el("p", { "class": "small", id: "x" }, "<img src=x onerror=alert(1)>", null, 3,
                             GPS.core.el("span", {}, "in"));
      return { ids: Object.keys(ids).length, html: node.outerHTML, images: node.querySelectorAll("img").length };
    }""")
    assert result["ids"] == 200 and result["images"] == 0
    assert result["html"] == '<p class="small" id="x">&lt;img src=x onerror=alert(1)&gt;3<span>in</span></p>'


def test_staff_widgets_draw_a_signal_with_seen_and_a_hide_button(page):
    result = page.evaluate("""() => {
      var seen = [], toggled = [];
      var open = GPS.staff.signalRow({ id: 7, pseudonym: "Lina", kind: "talk", at: "2026-12-01T10:00:00Z", seen: false },
        { kinds: { talk: "wants to talk" }, acknowledge: "Seen", seen: "seen", key: true,
          when: function () { return "10:00"; }, onSeen: function (sig) { seen.push(sig.id); } });
      open.querySelector("button").click();
      var done = GPS.staff.signalRow({ id: 8, pseudonym: "", kind: "odd", at: "x", seen: true },
        { kinds: {}, fallback: "wants to talk", acknowledge: "Seen", seen: "seen", when: function () { return ""; } });
      var hide = GPS.staff.hideButton({ hidden: true, texts: { hide: "Hide", show: "Show" }, label: "Show: Lina",
        attrs: { "data-key": "hide-3" }, onToggle: function (b) { toggled.push(b.getAttribute("data-key")); } });
      hide.click();
      return { open: open.outerHTML, done: done.textContent, doneClass: done.className, seen: seen, toggled: toggled,
               hide: [hide.textContent, hide.getAttribute("aria-label"), hide.className],
               errors: [GPS.staff.errorText({ closed: "Closed", "default": "Try again" }, "closed"),
                        GPS.staff.errorText({ "default": "Try again" }, "unknown"), GPS.staff.errorText({ "default": "Try again" })] };
    }""")
    assert 'data-key="seen-7"' in result["open"] and 'aria-label="Seen: Lina"' in result["open"]
    assert "wants to talk" in result["open"] and '<time datetime="2026-12-01T10:00:00Z" class="small">10:00</time>' in result["open"]
    assert result["seen"] == [7] and result["doneClass"] == "signal seen" and result["done"].endswith("seen")
    assert "wants to talk" in result["done"]
    assert result["hide"] == ["Show", "Show: Lina", "button small"] and result["toggled"] == ["hide-3"]
    assert result["errors"] == ["Closed", "Try again", "Try again"]
