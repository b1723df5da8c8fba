"""One way to say no (issue 14): every refusal is `Refused(code)`, every code is listed here with what the person
is told, in her language. Socket acknowledgements carry the code (`{ok: false, error: code}`); pages and scripts
show the text of `texts(audience)`, so the words for one refusal live in one place.

A girl's phone and staff pages sometimes need other words for the same code ("this session has ended" for her,
"this run has ended" for her counsellor): `FOR_STAFF` holds those.
"""
from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from .languages import DEFAULT as DEFAULT_LANGUAGE


class Refused(Exception):
    """A request, event or move refused for a reason the person is told; `index` names the refused part (the word
    of a word cloud), when there is one."""

    def __init__(self, code: str, index: int | None = None):
        super().__init__(code)
        self.code = code
        self.index = index


TRY_AGAIN = _l("That did not work. Try again.")

MESSAGES = {
    # the shape of what came in
    "wrong_shape": _l("That answer did not work. Try again."),
    "unknown_event": TRY_AGAIN,
    "server_error": TRY_AGAIN,
    "bad_client_id": TRY_AGAIN,
    "slow_down": _l("Slow down a little, then try again."),
    "busy": _l("Something changed at the same moment. Try again."),
    # who may
    "not_allowed": _l("This is not open to you."),
    "not_authenticated": _l("Log in again, please."),
    "unknown_token": _l("This phone is no longer in this session. Ask your counsellor for the QR code or the code again."),
    "token_revoked": _l("Your track continues on another phone."),
    "wrong_track": _l("This page belongs to another track."),
    "unknown_screen": _l("This projector link no longer works."),
    # answers
    "item_not_live": _l("This message is no longer open for answers."),
    "answers_closed": _l("Answers are closed for this message."),
    "already_answered": _l("You already answered this message."),
    "unknown_item": TRY_AGAIN,
    "unknown_type": TRY_AGAIN,
    "unknown_option": _l("That answer did not work. Try again."),
    "unknown_vote": _l("That answer did not work. Try again."),
    "out_of_range": _l("That answer did not work. Try again."),
    "incomplete": _l("Answer every part first, or skip."),
    "empty": _l("Write something first, or skip."),
    "too_long": _l("That is too long. Make it shorter."),
    "too_many": _l("That is too many."),
    "duplicate": _l("You have that one already."),
    "markup": _l("Use only letters and numbers."),
    "bad_chars": _l("Use only letters and numbers."),
    "control_chars": _l("Use only letters and numbers."),
    "unknown_answer": _l("That answer is no longer there. The page is brought up to date."),
    # joining
    "pseudonym_length": _l("Choose a pseudonym of 2 to 20 characters."),
    "pseudonym_characters": _l("Use only letters, numbers, spaces, dots, hyphens and apostrophes."),
    "pseudonym_taken": _l("Someone in this group already uses that pseudonym. Choose another one."),
    "pseudonym_mixed_script": _l("Use the letters of one alphabet only."),
    "door_locked": _l("Your counsellor has closed the door for now. Ask her to open it."),
    "run_full": _l("This session is full. Ask your counsellor."),
    "one_girl_only": _l("This session is for one girl only, and she has already joined. Ask your counsellor."),
    "run_ended": _l("This session has ended. Thank you for taking part!"),
    "removed": _l("Your counsellor took you out of this session. If you think that is a mistake, just ask her."),
    # signals
    "unknown_kind": TRY_AGAIN,
    "unknown_signal": _l("That signal is no longer there. The page is brought up to date."),
    # her track
    "module_locked": _l("This part is not open yet. Your coach opens it."),
    "track_closed": _l("Your track is closed."),
    "track_paused": _l("Your coach paused your track for now."),
    "invitation_invalid": _l("This invitation no longer works. Ask your coach for a new one."),
    "empty_message": _l("Write something first."),
    "return_code_invalid": _l("This code does not work. Check it, or ask your coach for a new invitation."),
    # staff moves
    "unknown_run": _l("This run no longer exists."),
    "unknown_participant": _l("She is no longer in this run."),
    "unknown_action": TRY_AGAIN,
    "unknown_module": _l("There is no such module."),
    "not_in_lobby": _l("This run has started already."),
    "not_started": _l("Start the run first."),
    "no_such_item": _l("There is no message in that direction."),
    "not_individual": _l("Only a one-to-one run can go at her own pace."),
    "track_run": _l("This module belongs to a girl's track: follow it on her track's page."),
    "bad_timer": _l("Choose a time between 15 seconds and 30 minutes."),
    "timer_run_ended": _l("This run has ended: a timer can no longer be started."),
    "bad_step": TRY_AGAIN,
    "bad_theme": TRY_AGAIN,
    "bad_setting": TRY_AGAIN,
    "info_not_shown": _l("Show the blogger's info first."),
    "no_info_part": _l("This message has no further part to show."),
    "not_online_squad": _l("Personal tracks belong to online squads."),
    "squad_archived": _l("This squad is archived."),
    "content_note_required": _l("Read the content note first, then confirm."),
    # staff accounts
    "email_taken": _l("An account with this email address already exists."),
    "cannot_deactivate_self": _l("You cannot deactivate your own account."),
    "setup_link_invalid": _l("This setup link is no longer valid"),
}

# Refusals only staff can meet (their moves and accounts): not sent to a girl's page.
STAFF_ONLY = frozenset({
    "unknown_run", "unknown_participant", "unknown_action", "unknown_module", "not_in_lobby", "not_started",
    "no_such_item", "not_individual", "track_run", "bad_timer", "timer_run_ended", "bad_step", "bad_theme",
    "bad_setting", "info_not_shown", "no_info_part", "not_online_squad", "squad_archived", "content_note_required",
    "email_taken", "cannot_deactivate_self", "setup_link_invalid", "not_authenticated",
})

FOR_STAFF = {
    "not_allowed": _l("This belongs to another counsellor: you cannot change it."),
    "run_ended": _l("This run has ended."),
    "item_not_live": _l("That message is no longer the live one. The dashboard now shows the current message."),
    "busy": _l("Someone else changed the run at the same moment. Try again."),
    "track_closed": _l("This track is closed."),
    "track_paused": _l("This track is paused."),
    "too_long": _l("That is too long: at most 500 characters."),
    "empty_message": _l("Write your message first."),
}


def message(code: str, audience: str = "participant") -> str:
    """What the person is told for `code`, in the language of this request (audience: participant or facilitator)."""
    text = (FOR_STAFF.get(code) if audience == "facilitator" else None) or MESSAGES.get(code) or TRY_AGAIN
    return str(text)


_texts: dict[tuple[str, str], dict[str, str]] = {}


def texts(audience: str = "participant") -> dict[str, str]:
    """Every code's text for one audience, and "default", for a page's script (the `errors` of its strings).

    Codes whose text is the default are left out (the script falls back to "default"), and so are the staff's
    own codes on a girl's page: her join page carries this, on an old phone on bad Wi-Fi. Kept per language:
    translating them all took about a tenth of every join page's time (bench.events_cpu under cProfile).
    """
    key = (str(get_locale() or DEFAULT_LANGUAGE), audience)
    if key not in _texts:
        default = str(TRY_AGAIN)
        codes = [code for code in MESSAGES if audience == "facilitator" or code not in STAFF_ONLY]
        found = {code: message(code, audience) for code in codes}
        _texts[key] = {**{code: text for code, text in found.items() if text != default}, "default": default}
    return _texts[key]
