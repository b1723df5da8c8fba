"""Issue 3: the staff preview of each module in the three languages, and the content check command."""
from __future__ import annotations

import shutil

import pytest
from markupsafe import escape

from app.programme import SESSIONS, programme


@pytest.mark.parametrize("locale", ["nl", "fr", "en"])
def test_every_module_preview_renders_in_each_language(client, staff, locale):
    client.get(f"/lang/{locale}")
    for number, module in programme().modules.items():
        html = client.get(f"/staff/modules/{number}").get_data(as_text=True)
        assert str(escape(module.text("title", locale))) in html
        for item in module.items:
            for field in ("message", "question", "info", "staff_notes"):
                assert str(escape(item.text(field, locale))) in html, (item.id, field)


def test_preview_needs_a_login(client):
    assert client.get("/staff/modules/0").status_code == 302


def test_content_check_command(runner, tmp_path):
    result = runner.invoke(args=["gps", "content", "check"])
    assert result.exit_code == 0 and "6 modules" in result.output
    broken = tmp_path / "sessions"
    shutil.copytree(SESSIONS, broken)
    text = (broken / "module2.yaml").read_text(encoding="utf-8").replace("type: truefalse", "type: quiz", 1)
    (broken / "module2.yaml").write_text(text, encoding="utf-8")
    failed = runner.invoke(args=["gps", "content", "check", "--dir", str(broken)])
    assert failed.exit_code == 1 and "module2.yaml" in failed.output and "type" in failed.output
