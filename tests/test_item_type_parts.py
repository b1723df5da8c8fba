"""Item types that stand alone (issue 14): every type has all its parts, side by side, and the phone describes
an answer with the server's words.

A type is its folder app/item_types/<type>/ (server functions, describe, label, templates) and its browser part
static/js/item_types/<type>.js registered in static/js/item_types/registry.js. These tests fail when a type
lacks one of them, when a page loads the frame without the types, and when the phone and the report would
describe the same answer differently.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from flask_babel import force_locale
from flask_babel.speaklater import LazyString

from app import assets, item_types
from app.item_types import TYPES
from app.programme import programme

from .conftest import join

ROOT = Path(__file__).resolve().parent.parent
JS = ROOT / "static" / "js" / "item_types"
TEMPLATES = ROOT / "templates"
FUNCTIONS = ("check_config", "validate", "aggregate", "public_config", "solution", "describe")
JS_PARTS = ("form", "describe", "results", "choices")  # registry.js refuses a type without them
PAGES = ("participant/join.html", "participant/inbox.html", "participant/track.html", "presenter/screen.html",
         "facilitator/track.html", "facilitator/run.html")
LOCALES = ("nl", "fr", "en")


def _items_of(name: str) -> list:
    return [item for item in programme().items() if item.type == name]


def _has_solution(name: str) -> bool:
    """A type has a solution when one of its messages in the programme has one to show after the reveal."""
    return any(item_types.solution(item, "nl") is not None for item in _items_of(name))


def _registered_parts(name: str) -> set[str]:
    """The keys of the object the type's file passes to register("<name>", {...}), read from its text."""
    text = (JS / f"{name}.js").read_text(encoding="utf-8")
    match = re.search(r'\.register\("' + name + r'", \{(.*)\}\);', text, re.S)
    assert match, f"static/js/item_types/{name}.js does not register {name!r}"
    return set(re.findall(r"^    (\w+): ", match.group(1), re.M))


def test_the_types_are_the_folders_and_the_browser_files():
    folders = {p.name for p in (ROOT / "app" / "item_types").iterdir() if (p / "__init__.py").is_file()}
    scripts = {p.stem for p in JS.glob("*.js")} - {"registry"}
    assert set(TYPES) == folders == scripts
    assert len(TYPES) == 9
    # `from app.item_types import words` is the type, not a helper of the same name
    assert all(getattr(item_types, name) is TYPES[name] for name in TYPES)


@pytest.mark.parametrize("name", sorted(TYPES))
def test_every_type_has_its_server_parts(app, name):
    unit = TYPES[name]
    for function in FUNCTIONS:
        assert callable(getattr(unit, function, None)), f"{name} lacks {function}()"
    assert isinstance(unit.REQUIRED, tuple) and isinstance(unit.OPTIONAL, tuple)
    assert isinstance(unit.label, LazyString), f"{name}.label must be a lazy_gettext text"
    english = None
    for locale in LOCALES:
        with app.test_request_context(), force_locale(locale):
            said = item_types.label(name)
            words = item_types.describe_words().get(name, {})
        assert said.strip()
        assert all(isinstance(word, str) and word.strip() for word in words.values())
        english = said if locale == "en" else english
    with app.test_request_context(), force_locale("nl"):
        assert item_types.label(name) != english or name == "poll", f"{name}'s label is not translated"


@pytest.mark.parametrize("name", sorted(TYPES))
def test_every_type_has_its_templates(app, name):
    wanted = list(item_types.TEMPLATES) + (["solution.html"] if _has_solution(name) else [])
    for template in wanted:
        assert (ROOT / "app" / "item_types" / name / template).is_file(), f"{name} lacks {template}"
        app.jinja_env.get_template(f"item_types/{name}/{template}")  # Jinja finds it, and it parses
    if not _has_solution(name):
        assert not (ROOT / "app" / "item_types" / name / "solution.html").exists()


@pytest.mark.parametrize("name", sorted(TYPES))
def test_every_type_has_its_browser_part(app, name):
    parts = _registered_parts(name)
    assert set(JS_PARTS) <= parts, f"static/js/item_types/{name}.js lacks {set(JS_PARTS) - parts}"
    assert ("solution" in parts) == _has_solution(name), f"{name}: a solution on the server and in the browser"
    assert parts <= set(JS_PARTS) | {"screen", "solution"}, f"{name}: unknown parts {parts}"


def test_the_jinja_loader_serves_only_html_of_type_folders(app):
    from jinja2 import TemplateNotFound

    for name in ("item_types/scale/__init__.py", "item_types/base.py", "item_types/../config.py",
                 "item_types/nope/preview.html", "item_types/scale/../poll/preview.html"):
        with pytest.raises(TemplateNotFound):
            app.jinja_env.get_template(name)


def test_templates_include_a_type_part_by_its_name_not_by_branches():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"item\.type\s*(==|in\s*\()", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
    for frame in ("facilitator/_preview_answer.html", "facilitator/_report_aggregate.html",
                  "facilitator/_solution.html", "printables/worksheet.html"):
        assert '{% include "item_types/" ~ item.type ~ "/' in (TEMPLATES / frame).read_text(encoding="utf-8")


def test_the_frames_keep_nothing_of_a_type():
    """items.js, results.js and presenter.js name no type: they look it up in the registry."""
    for script in ("items.js", "results.js", "presenter.js"):
        text = (ROOT / "static" / "js" / script).read_text(encoding="utf-8")
        found = [name for name in TYPES if re.search(rf'\b{name}\s*:|"{name}"|\.{name}\b(?!-)', text)]
        assert found == [], f"{script} still knows the types {found}"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_with_items_loads_them_through_the_one_macro(page):
    text = (TEMPLATES / page).read_text(encoding="utf-8")
    if '{% include "participant/_scripts.html" %}' in text:  # her phone's pages share their scripts block
        text = (TEMPLATES / "participant" / "_scripts.html").read_text(encoding="utf-8")
    assert "item_type_scripts(" in text
    assert "js/items.js" not in text and "js/results.js" not in text
    for path in TEMPLATES.rglob("*.html"):  # and no other page loads the frame by hand
        if path.name != "_item_type_scripts.html":
            assert "js/items.js" not in path.read_text(encoding="utf-8"), path


def _script_paths(html: str) -> list[str]:
    return re.findall(r'<script src="(/static/[^"?]+)\?v=[0-9a-f]{12}"', html)


def test_the_bundle_is_the_registry_every_type_then_the_frame(app, client):
    """One response for the phone (its weight on a slow link): the files in their order, fingerprinted."""
    with app.test_request_context():
        from flask import render_template_string

        url = render_template_string("{{ bundle_url('items') }}")
    files = [JS / "registry.js"] + [JS / f"{name}.js" for name in TYPES] + [ROOT / "static" / "js" / "items.js"]
    body = client.get(url).get_data()
    assert body == b"\n".join(assets.compact(path.read_bytes()) for path in files)  # without comment lines
    assert re.fullmatch(r"/static/bundles/items\.js\?v=[0-9a-f]{12}", url)
    cached = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert cached.headers["Content-Encoding"] == "gzip" and "immutable" in cached.headers["Cache-Control"]
    assert "Set-Cookie" not in cached.headers and "Cookie" not in cached.headers.get("Vary", "")
    assert client.get(url, headers={"If-None-Match": cached.headers["ETag"]}).status_code == 304
    assert "immutable" not in client.get("/static/bundles/items.js?v=000000000000").headers["Cache-Control"]
    assert client.get("/static/bundles/nothing.js").status_code == 404


def test_a_bundle_leaves_out_comment_lines_and_indentation_only():
    script = (b"/* A block\n   comment. */\n(function () {\n  // a line comment\n  var a = 1; // kept: after code\n"
              b"  /* a */ var b = '/* not a comment */';\n  var url = \"http://x\";\n})();\n")
    assert assets.compact(script) == (b"(function () {\nvar a = 1; // kept: after code\n"
                                      b"/* a */ var b = '/* not a comment */';\nvar url = \"http://x\";\n})();\n")
    with_template = b"var t = `\n  two\n`; // a template literal: its indentation is text\n"
    assert assets.compact(with_template) == with_template


def test_rendered_pages_load_the_types_then_the_frame_with_fingerprints(app, client, staff, run):
    dashboard = client.get(f"/staff/runs/{run.id}").get_data(as_text=True)
    screen = client.get(f"/screen/{run.screen_token}").get_data(as_text=True)
    girl = app.test_client()
    join_page = girl.get(f"/j/{run.join_token}").get_data(as_text=True)
    join(girl, run)
    inbox = girl.get(f"/p/{run.join_token}").get_data(as_text=True)
    for html, results in ((dashboard, True), (screen, True), (join_page, False), (inbox, False)):
        paths = _script_paths(html)
        bundle = paths.index("/static/bundles/items.js")
        assert ("/static/js/results.js" in paths) == results
        if results:
            assert paths[bundle + 1] == "/static/js/results.js"
        page_scripts = [p for p in paths if p.rsplit("/", 1)[-1] in ("participant.js", "join.js", "facilitator.js",
                                                                      "presenter.js")]
        assert page_scripts and all(paths.index(p) > bundle for p in page_scripts)
        words = json.loads(re.search(r'<script type="application/json" id="item-type-words">(.*?)</script>',
                                     html, re.S).group(1))
        assert words["truefalse"]["fact"] and words["redflags"]["none"]


# --- the phone and the report describe an answer the same way ---------------------------------------

def _sample_answers(item) -> list[dict]:
    """Answers a phone could send for this message (checked by the type's validate, as the server stores
    them), and one with an id the content no longer has."""
    data = item.data
    payloads = {
        "poll": lambda: [{"choice": o["id"]} for o in data["options"]],
        "multi": lambda: [{"choices": [data["options"][0]["id"]]}, {"choices": [o["id"] for o in data["options"]]}],
        "truefalse": lambda: [{"choice": True}, {"choice": False}],
        "scale": lambda: [{"value": v} for v in range(1, 6)],
        "open": lambda: [{"text": "Ik weet het niet <b>echt</b> 🙂"}],
        "words": lambda: [{"words": ["Hallo", "ça va"][:data.get("max_words", 3)]}],
        "agree": lambda: [{"votes": {s["id"]: ("agree", "doubt", "disagree")[i % 3]
                                     for i, s in enumerate(data["statements"])}}],
        "order": lambda: [{"order": [s["id"] for s in data["steps"]]},
                          {"order": [s["id"] for s in reversed(data["steps"])]}],
        "redflags": lambda: [{"flags": []}, {"flags": [line["id"] for line in data["chat"]][:2]}],
    }[item.type]()
    stored = [item_types.validate_answer(item, payload) for payload in payloads]
    stale = {"poll": {"choice": "gone"}, "multi": {"choices": ["gone"]}, "order": {"order": ["gone"]},
             "redflags": {"flags": ["gone"]}, "scale": {"value": 9}}.get(item.type)
    return stored + ([stale] if stale else [])


def _cases(app, locale: str) -> tuple[list[dict], list[str], dict]:
    cases, said = [], []
    with app.test_request_context(), force_locale(locale):
        for item in programme().items():
            config = item_types.public_config(item, locale)
            for value in _sample_answers(item):
                cases.append({"item": {"id": item.id, "type": item.type, "config": config}, "answer": value})
                said.append(item_types.describe(item, value, locale))
        words = item_types.describe_words()
    return cases, said, words


@pytest.mark.browser
@pytest.mark.parametrize("locale", LOCALES)
def test_the_phone_describes_every_answer_as_the_server_does(app, locale):
    from .browser.conftest import CHROMIUM, CHROMIUM_ARGS, require_chromium

    require_chromium()
    from playwright.sync_api import sync_playwright

    cases, server, words = _cases(app, locale)
    assert {case["item"]["type"] for case in cases} == set(TYPES)
    scripts = [ROOT / "static" / "js" / "core.js", JS / "registry.js"] + [JS / f"{name}.js" for name in TYPES]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_content('<script type="application/json" id="item-type-words"></script>')
            page.evaluate("w => { document.getElementById('item-type-words').textContent = w; }", json.dumps(words))
            for script in scripts:
                page.add_script_tag(content=script.read_text(encoding="utf-8"))
            phone = page.evaluate("""cases => cases.map(c => {
                var type = GPS.itemTypes.get(c.item.type);
                return type.describe(c.item, c.answer, GPS.itemTypes.wordsOf(c.item.type));
            })""", cases)
            registered = page.evaluate("GPS.itemTypes.names()")
        finally:
            browser.close()
    assert sorted(registered) == sorted(TYPES)
    different = [(case["item"]["id"], case["answer"], s, p) for case, s, p in zip(cases, server, phone) if s != p]
    assert different == [], different[:5]
    assert len(cases) > 150
