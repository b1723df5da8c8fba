"""Issue 15: the projector fits every state of every message of every module, in Dutch, French and English, at
1280x720, 1920x1080 and 3840x2160, without scrolling, and its type stays readable from the back of the room.

One projector page per size and language (nine pages) follows each module's run; the counsellor's socket steps the
run through every message and every phase (answering, results, the info part by part) while five girls answer
through their own sockets, with the longest and strangest answers the app accepts. After every step each page
must have fitted: nothing beyond the viewport, no scrolling, body text >= 36 px and headings >= 56 px at 1080p.
"""
from __future__ import annotations

import re
import sqlite3
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import socketio

from app.item_types import AnswerError
from app.item_types import words as words_rules

from ..live.conftest import join_link_of, join_run, open_lobby, staff_session
from .conftest import screenshot

SIZES = [(1280, 720), (1920, 1080), (3840, 2160)]
LANGUAGES = {"nl": "nl-BE", "fr": "fr-BE", "en": "en-GB"}
GIRLS = 5  # one more than MIN_GROUP_FOR_RESULTS (4), and one of them skips the open questions
WAIT_MS = 15_000

LONG_TEXT = ("Ik zou tegen Sara zeggen dat ze niets verkeerd deed en dat ze met haar MAX moet praten, want samen "
             "vind je een oplossing. Screenshots nemen, blokkeren en melden helpt ook, en 116 000 is gratis. ") * 2
CUNEIFORM = "\U00012000" * 30
STACKED = "a" + "\u0301\u0302\u0303\u0304\u0306\u0307\u0308\u030a\u030b\u030c" * 2 + "\u0301" * 9  # 30 marks on one letter
OPEN_ANSWERS = [LONG_TEXT, "W" * 300, CUNEIFORM + " " + STACKED, "Praat erover met iemand die je vertrouwt."]
# The longest and widest words a word cloud takes (whatever app/item_types/words.py allows today).
WORD_CHARS = words_rules.MAX_CHARS


def accepted(word: str) -> bool:
    try:
        words_rules.validate(SimpleNamespace(data={}), {"words": [word]})
        return True
    except AnswerError:
        return False


WIDE_WORDS = [w for w in (("supercalifragilisticexpialidocious" * 2)[:WORD_CHARS], "\U00012000" * WORD_CHARS,
                          "Ш" * WORD_CHARS, ("e\u0301\u0308" * WORD_CHARS)[:WORD_CHARS], "W" * WORD_CHARS) if accepted(w)]
WORD_ANSWERS = [["vertrouwen", WIDE_WORDS[0]], WIDE_WORDS[1:2] or ["vriendschap"], WIDE_WORDS[2:3] or ["respect"],
                ["eerlijk", "lief", "grappig"], WIDE_WORDS[3:4] or ["vertrouwen"]]

# What is measured on every page after every step: a list of problems, empty when the screen fits.
CHECK = """([minBody, minHead]) => {
  const problems = [], vw = innerWidth, vh = innerHeight, doc = document.documentElement;
  if (doc.scrollHeight > vh || doc.scrollWidth > vw) problems.push(`page scrolls: ${doc.scrollWidth}x${doc.scrollHeight}`);
  for (const node of document.querySelectorAll("#screen *")) {
    if (node.closest("[hidden], .visually-hidden, script")) continue;
    const box = node.getBoundingClientRect();
    if (!box.width && !box.height) continue;
    const label = `${node.tagName.toLowerCase()}#${node.id}.${node.className}`;
    if (box.left < -1 || box.top < -1 || box.right > vw + 1 || box.bottom > vh + 1)
      problems.push(`${label} outside: ${Math.round(box.left)},${Math.round(box.top)} to ${Math.round(box.right)},${Math.round(box.bottom)}`);
    const ownText = Array.from(node.childNodes).some((c) => c.nodeType === 3 && c.textContent.trim());
    if (!minBody || !ownText) continue;
    const size = parseFloat(getComputedStyle(node).fontSize), heading = node.closest("h2, h3");
    if (size < (heading ? minHead : minBody) - 0.01) problems.push(`${label} type ${size}px`);
  }
  return problems;
}"""


def screen_link(server, run_id: int) -> str:
    with sqlite3.connect(server.database, timeout=15) as db:
        token = db.execute("SELECT screen_token FROM run WHERE id = ?", (run_id,)).fetchone()[0]
    return f"{server.url}/screen/{token}"


class Staff:
    """The counsellor's socket, on her login cookie: every move is acked before the test looks at a projector."""

    def __init__(self, server, cookie: str, run_id: int):
        self.run_id, self.sio = run_id, socketio.Client()
        self.sio.connect(server.url, headers={"Cookie": f"session={cookie}"}, transports=["websocket"], wait_timeout=10)
        self.snapshot = self.call("facilitator:join")["snapshot"]

    def call(self, event: str, **data) -> dict:
        for _ in range(10):
            ack = self.sio.call(event, {"run": self.run_id, **data}, timeout=15)
            if ack.get("error") != "slow_down":  # staff may send 60 events in 5 s; this test steps fast
                break
            time.sleep(1)
        assert ack["ok"], (event, data, ack)
        return ack

    def command(self, action: str, **data) -> dict:
        self.snapshot = self.call("facilitator:command", action=action, **data)["snapshot"]
        return self.snapshot


def payload(item: dict, girl: int) -> dict:
    """A valid answer of girl number `girl`, different per girl, as long and strange as the app accepts."""
    config, kind = item["config"], item["type"]
    if kind in ("poll", "multi"):
        ids = [o["id"] for o in config["options"]]
        return {"choice": ids[girl % len(ids)]} if kind == "poll" else {"choices": ids[girl % len(ids):][:2]}
    if kind == "truefalse":
        return {"choice": girl % 2 == 0}
    if kind == "scale":
        return {"value": 1 + girl % 5}
    if kind == "open":
        if girl >= len(OPEN_ANSWERS):
            return {"skip": True}
        return {"text": OPEN_ANSWERS[girl][: config.get("max_length", 280)].strip()}
    if kind == "words":
        return {"words": WORD_ANSWERS[girl][: config.get("max_words", 3)]}
    if kind == "agree":
        votes = ("agree", "doubt", "disagree")
        return {"votes": {s["id"]: votes[(girl + n) % 3] for n, s in enumerate(config["statements"])}}
    if kind == "order":
        ids = [s["id"] for s in item["solution"]["steps"]]
        return {"order": ids[girl % len(ids):] + ids[: girl % len(ids)]}
    if kind == "redflags":
        ids = [line["id"] for line in config["chat"]]
        return {"flags": [i for n, i in enumerate(ids) if (n + girl) % 2 == 0]}
    raise AssertionError(f"no test answer for item type {kind}")


class Room:
    """Nine projector pages (three sizes x three languages), one run at a time."""

    def __init__(self, browser, sizes=SIZES, languages=tuple(LANGUAGES)):
        self.contexts, self.pages = [], {}
        for width, height in sizes:
            for language, locale in ((code, LANGUAGES[code]) for code in languages):
                context = browser.new_context(viewport={"width": width, "height": height}, locale=locale,
                                              device_scale_factor=1)
                context.set_default_timeout(WAIT_MS)
                self.contexts.append(context)
                self.pages[(width, height, language)] = context.new_page()
        self.problems: list[str] = []
        self.checked, self.fallbacks, self.smallest = 0, {}, 9.0  # figures: fallbacks used, smallest type scale

    def open(self, url: str) -> None:
        for page in self.pages.values():
            page.goto(url)
        self.wait(lambda r: "true")

    def before_move(self) -> None:
        for page in self.pages.values():
            page.evaluate("() => document.getElementById('screen').removeAttribute('data-fitted')")

    def wait(self, condition) -> None:
        """Until every page has drawn and fitted the state `condition` (a JavaScript test on the root, r) names."""
        script = ("() => { const r = document.getElementById('screen');"
                  f" return r.getAttribute('data-fitted') === '1' && ({condition(None)}); }}")
        for page in self.pages.values():
            page.wait_for_function(script)

    def check(self, label: str) -> None:
        for (width, height, language), page in self.pages.items():
            level, scale = page.evaluate("() => document.getElementById('screen').dataset.fit").split()
            self.fallbacks[level] = self.fallbacks.get(level, 0) + 1
            self.smallest = min(self.smallest, float(scale))
            minimum = [36, 56] if (width, height) == (1920, 1080) else [0, 0]
            for problem in page.evaluate(CHECK, minimum):
                self.problems.append(f"{label} {language} {width}x{height}: {problem}")
            self.checked += 1

    def shoot(self, name: str, theme: str) -> None:
        """English pages; every state at 1920x1080, the three that show the scaling best at the other sizes."""
        for (width, height, language), page in self.pages.items():
            if language == "en" and ((width, height) == (1920, 1080) or name in ALL_SIZES):
                screenshot(page, f"issue15-screen-{width}x{height}-{theme}-{name}.png")

    def close(self) -> None:
        for context in self.contexts:
            context.close()


def phase_is(item_id: str, phase: str, part: int | None = None):
    def condition(_):
        test = f"r.dataset.item === {item_id!r} && r.dataset.phase === {phase!r}"
        if part is not None:  # a language with fewer parts stays on its last one
            test += f" && Number(r.dataset.part) === Math.min({part}, Number(r.dataset.parts) - 1)"
        return test
    return condition


ALL_SIZES = ("join", "info", "redflags-results")
SHOTS = {"redflags": ("answering", "results"), "agree": ("results",), "words": ("results",), "open": ("results",),
         "order": ("answering",)}


def step_through_module(room: Room, server, http, module: int, light: bool = False, shots: bool = True) -> None:
    run_id = open_lobby(server, http, f"Projector {module}", module)
    staff = Staff(server, http.cookies.get("session"), run_id)
    link = join_link_of(server, http, run_id)
    girls = []
    try:
        for n in range(GIRLS):
            girl = socketio.Client()
            girl.connect(server.url, auth={"token": join_run(link, f"Meisje {module}{n}", "nl")},
                         transports=["websocket"], wait_timeout=10)
            girls.append(girl)
        room.open(screen_link(server, run_id))
        room.check(f"module {module} lobby")
        if module == 0 and shots:
            room.shoot("join", "dark")
        theme = "dark"
        shot_types = set()
        for index, summary in enumerate(staff.snapshot["items"]):
            if index == 1:
                staff.command("lock")  # the join strip is checked on the first message, then the door closes
            room.before_move()
            staff.command("start") if index == 0 else staff.command("goto", index=index)
            item = staff.snapshot["item"]
            label = f"module {module} message {index + 1} ({item['id']}, {item['type']})"
            room.wait(phase_is(item["id"], "answering"))
            room.check(label + " answering")
            for n, girl in enumerate(girls):
                ack = girl.call("answer", {"item": item["id"], "payload": payload(item, n),
                                           "client_id": f"girl{n}-{item['id']}"[:64]}, timeout=15)
                assert ack["ok"], (item["id"], n, ack)
            if item["type"] in ("open", "words"):
                staff.call("facilitator:approve_all", item=item["id"])
            shoot = shots and item["type"] in SHOTS and item["type"] not in shot_types
            if shoot and "answering" in SHOTS[item["type"]]:
                room.shoot(f"{item['type']}-answering", theme)
            room.before_move()
            staff.command("reveal_results")
            room.wait(phase_is(item["id"], "results"))
            room.check(label + " results")
            if shoot and "results" in SHOTS[item["type"]]:
                room.shoot(f"{item['type']}-results", theme)
            if light and shots and item["type"] == "redflags" and theme == "dark":  # the same screen for a bright room
                room.before_move()
                staff.call("facilitator:screen", action="theme", theme="light")
                room.wait(lambda _: "document.body.classList.contains('theme-light')")
                theme = "light"
                room.check(label + " results, light")
                room.shoot("redflags-results", theme)
            shot_types.add(item["type"])
            room.before_move()
            staff.command("reveal_info")
            room.wait(phase_is(item["id"], "info", 0))
            room.check(label + " info 1")
            parts = staff.call("sync")["snapshot"]["screen"]["info_parts"]
            if index == 0 and shots:
                room.shoot("info", theme)
            for part in range(1, parts):
                room.before_move()
                staff.call("facilitator:screen", action="info_part", step=1)
                room.wait(phase_is(item["id"], "info", part))
                room.check(f"{label} info {part + 1}")
        room.before_move()
        staff.command("end")
        room.wait(lambda _: "r.dataset.phase === 'ended'")
        room.check(f"module {module} ended")
    finally:
        for client in girls + [staff.sio]:
            client.disconnect()


def test_the_projector_fits_every_state_of_every_message(browser, browser_server):
    http = staff_session(browser_server)
    room = Room(browser)
    started = time.monotonic()
    try:
        for module in range(6):
            step_through_module(room, browser_server, http, module, light=module in (1, 3))
    finally:
        room.close()
    print(f"{room.checked} projector states checked in {time.monotonic() - started:.0f}s; fallbacks used "
          f"{dict(sorted(room.fallbacks.items()))} (0 none, 1 no message, 2 columns, 3 small join, 4 no question, "
          f"trim rows left off); smallest type scale {room.smallest}")
    report = Path(tempfile.gettempdir()) / "gps-projector-problems.txt"
    report.write_text("\n".join(room.problems))  # all of them, for the one who fixes the layout
    assert not room.problems, "\n".join(room.problems[:60])


# --- moderation and the small-group rule, from the dashboard's panel to the wall ---------------------------

def test_the_counsellor_checks_words_before_the_projector_shows_them(browser_server, contexts):
    from playwright.sync_api import expect

    from .conftest import LAPTOP, PROJECTOR, join_link_in_database, staff_opens_lobby
    from .test_accessibility import blocking_violations

    server = browser_server
    dashboard = contexts(LAPTOP)
    run_id = staff_opens_lobby(dashboard, server, "Moderation squad")
    cookie = next(c["value"] for c in dashboard.context.cookies() if c["name"] == "session")
    staff = Staff(server, cookie, run_id)
    link = join_link_in_database(server, run_id)
    girls = []
    for n in range(4):
        girl = socketio.Client()
        girl.connect(server.url, auth={"token": join_run(link, f"Moderatie {n}", "nl")}, transports=["websocket"],
                     wait_timeout=10)
        girls.append(girl)
    projector = contexts(PROJECTOR)
    projector.goto(screen_link(server, run_id))
    try:
        # Three of four answer the first message: the wall keeps the spread private, the dashboard says why.
        item = staff.command("start")["item"]
        for n, girl in enumerate(girls[:3]):
            girl.call("answer", {"item": item["id"], "payload": payload(item, n), "client_id": f"first-{n}-girl"})
        staff.command("reveal_results")
        expect(projector.locator("#private")).to_contain_text("Fewer than 4 answers")
        expect(projector.locator("#results .bar-row")).to_have_count(0)
        expect(dashboard.locator("#private-note")).to_be_visible()
        assert blocking_violations(projector) == []

        words = next(n for n, i in enumerate(staff.snapshot["items"]) if i["type"] == "words")
        item = staff.command("goto", index=words)["item"]
        for n, (girl, word) in enumerate(zip(girls, ["eerlijk", "grappig", "stomkop", "lief"])):
            girl.call("answer", {"item": item["id"], "payload": {"words": [word]}, "client_id": f"words-{n}-girl"})
        staff.command("reveal_results")
        expect(projector.locator("#results")).to_contain_text("once your counsellor has read them")
        rows = dashboard.locator("#moderation-list .answer-row")
        expect(rows).to_have_count(4)
        expect(dashboard.locator("#pending-note")).to_contain_text("4 waiting")

        rows.filter(has_text="lief").get_by_role("button", name="Approve").click()
        expect(projector.locator(".cloud-word")).to_have_text(["lief"])
        dashboard.locator("#approve-all").click()
        expect(projector.locator(".cloud-word")).to_have_count(4)
        screenshot(dashboard, "issue15-moderation-panel.png")
        assert blocking_violations(dashboard) == [] and blocking_violations(projector) == []

        rows.filter(has_text="stomkop").get_by_role("button", name="Hide").click()
        clicked = time.monotonic()
        expect(projector.locator(".cloud-word", has_text="stomkop")).to_have_count(0, timeout=1000)
        gone = time.monotonic() - clicked
        print(f"a hidden word left the projector {gone * 1000:.0f} ms after the click")
        assert gone < 1.0
        projector.reload()  # a reconnecting projector never brings a hidden word back
        expect(projector.locator(".cloud-word")).to_have_count(3)
        expect(projector.locator("#screen")).not_to_contain_text("stomkop")

        dashboard.locator("#screen-panel [data-theme='light']").click()
        expect(projector.locator("body")).to_have_class(re.compile(r"\btheme-light\b"))
        expect(dashboard.locator("#screen-panel [data-theme='light']")).to_have_attribute("aria-pressed", "true")
        assert blocking_violations(projector) == []

        staff.command("timer_start", seconds=90, close=False)  # the counsellor's timer counts down on the wall
        expect(projector.locator("#timer")).to_contain_text(re.compile(r"1:[23]\d"))
    finally:
        for client in girls + [staff.sio]:
            client.disconnect()


# --- content far beyond today's: the fit must hold for whatever the writers put in sessions/ -----------------

def tripled(value):
    """Every text of a module three times as long (the info then comes in several parts)."""
    if isinstance(value, dict) and set(value) == {"nl", "fr", "en"}:
        return {lang: " ".join([text] * 3) for lang, text in value.items()}
    if isinstance(value, dict):
        return {key: tripled(v) if key not in ("id", "type", "channel", "from", "modes") else v for key, v in value.items()}
    if isinstance(value, list):
        return [tripled(v) for v in value]
    return value


@pytest.fixture(scope="module")
def long_content_server(tmp_path_factory):
    import shutil

    import yaml

    from ..live.conftest import ROOT, LiveServer

    folder = tmp_path_factory.mktemp("long-content")
    sessions = folder / "sessions"
    shutil.copytree(ROOT / "sessions", sessions)
    module = yaml.safe_load((sessions / "module3.yaml").read_text(encoding="utf-8"))
    module["items"] = tripled(module["items"])
    (sessions / "module3.yaml").write_text(yaml.safe_dump(module, allow_unicode=True, sort_keys=False), encoding="utf-8")
    server = LiveServer(folder)
    server.env.update(SESSIONS_DIR=str(sessions), RATELIMIT_ENABLED="false")
    server.prepare_database()
    server.start()
    yield server
    server.stop()


def test_the_projector_fits_messages_three_times_as_long(browser, long_content_server):
    """Module 3 with every text tripled, in French (the longest language), at the smallest and the usual size:
    the screen gives up the message, takes two columns, leaves rows off with "and n more", and still fits."""
    http = staff_session(long_content_server)
    room = Room(browser, sizes=[(1280, 720), (1920, 1080)], languages=("fr",))
    try:
        step_through_module(room, long_content_server, http, 3, shots=False)
    finally:
        room.close()
    print(f"fallbacks {dict(sorted(room.fallbacks.items()))}; smallest type scale {room.smallest}")
    assert not room.problems, "\n".join(room.problems[:60])
