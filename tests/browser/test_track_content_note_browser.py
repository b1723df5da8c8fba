"""Issue 11: on the coach's page, module 5 opens only after she has seen its content note and confirmed."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .test_track_browser import COACH, coach_creates_track

pytestmark = pytest.mark.browser


def test_the_coach_confirms_the_content_note_before_module_five_opens(browser_server, contexts):
    coach = contexts(COACH)
    coach_creates_track(coach, browser_server)
    five = coach.locator("#modules [data-module='5']")
    expect(five).to_have_text("Open")
    seen = []

    def cancel_first_then_accept(dialog):
        seen.append(dialog.message)
        if len(seen) == 1:
            dialog.dismiss()
        else:
            dialog.accept()

    coach.on("dialog", cancel_first_then_accept)
    five.click()
    for _ in range(50):  # the note comes in the answer of the server, then the dialog opens
        if seen:
            break
        coach.wait_for_timeout(100)
    coach.wait_for_timeout(300)
    expect(five).to_have_text("Open")  # cancelled: still locked
    five.click()
    expect(five).to_have_text("Lock")  # confirmed: open for her
    assert len(seen) == 2 and "Content note" in seen[0] and len(seen[0]) > 120  # the note itself is shown
