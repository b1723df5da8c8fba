"""Issue 13, coming back safely: her invitation tapped again, her personal return code, "forget this phone",
the coach's reset, an invitation that expires; and the squad's reply time. Through the real pages (Flask
test client) and the Socket.IO test client for her phone."""
from __future__ import annotations

import re
from datetime import timedelta

from app.extensions import db, socketio
from app.models import SquadMode, utcnow
from app.models_tracks import Track
from app.services import squads, track_access

from .conftest import csrf_from, login, make_facilitator, received
from .test_tracks import create_track, invitation_path

WRONG_CODE_TEXT = "This code does not work. Check it, or ask your coach for a new invitation."
CODE_SHAPE = re.compile(r"^[ACEFHJKMNPRTVWXY34679]{4}-[ACEFHJKMNPRTVWXY34679]{4}-[ACEFHJKMNPRTVWXY34679]{2}$")


# --- helpers: the coach's and the girl's real pages ----------------------------------------------

class Girl:
    """One browser of hers: the test client (cookies) and what her page's script would keep in localStorage."""

    def __init__(self, app):
        self.http, self.token, self.key, self.csrf = app.test_client(), None, None, None

    def open_track(self, location: str) -> str:
        page = self.http.get(location).get_data(as_text=True)
        self.key = re.search(r'data-key="([^"]+)"', page).group(1)
        self.token = re.search(r'data-token="([^"]*)"', page).group(1) or self.token
        self.csrf = re.search(r'data-csrf="([^"]+)"', page).group(1)
        return page

    def accept(self, path: str, pseudonym: str = "Groene Egel"):
        page = self.http.get(path).get_data(as_text=True)
        response = self.http.post(path, data={"pseudonym": pseudonym, "language": "en", "csrf_token": csrf_from(page)})
        assert response.status_code == 302, response.get_data(as_text=True)[:400]
        self.open_track(response.headers["Location"])
        return response

    def return_code(self, token: str | None = None):
        return self.http.post(f"/t/{self.key}/return-code", data={"token": token or self.token, "csrf_token": self.csrf})

    def new_code(self) -> str:
        response = self.return_code()
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()["code"]

    def type_code(self, code: str):
        page = self.http.get("/code").get_data(as_text=True)
        return self.http.post("/code", data={"code": code, "csrf_token": csrf_from(page)})

    def forget(self, token: str | None = None):
        return self.http.post(f"/t/{self.key}/forget", data={"token": token or self.token, "csrf_token": self.csrf})


def joined_girl(app, client, squad) -> tuple[Girl, int, str]:
    track_id, path = create_track(client, squad)
    girl = Girl(app)
    girl.accept(path)
    return girl, track_id, path


def her_phone(app, girl: Girl, token: str | None = None):
    return socketio.test_client(app, auth={"track": token or girl.token, "key": girl.key})


def csrf_of(browser) -> str:
    """A valid CSRF token of this browser's session (the code page has a form)."""
    return csrf_from(browser.get("/code").get_data(as_text=True))


def track_of(track_id: int) -> Track:
    db.session.expire_all()
    return db.session.get(Track, track_id)


# --- her invitation, tapped again ------------------------------------------------------------------

def test_her_used_invitation_again_opens_her_track_when_this_browser_holds_it(app, client, online_squad):
    girl, track_id, path = joined_girl(app, client, online_squad)
    again = girl.http.get(path)
    page = again.get_data(as_text=True)
    assert again.status_code == 410
    # The page's script goes on to /t/<key> when localStorage has gps:track:<key> (browser test); otherwise it
    # explains the way back. Nothing of her track is on it but the public key: not her pseudonym, no token.
    assert f'data-kept="gps:track:{girl.key}"' in page and f'data-inbox="/t/{girl.key}"' in page
    assert "How to come back" in page and "return code" in page and "new invitation" in page
    assert "Groene Egel" not in page and girl.token not in page
    assert track_access.by_token(girl.token).id == track_id  # tapping it again changes nothing


def test_her_used_invitation_in_another_browser_explains_the_way_back(app, client, online_squad):
    girl, _track_id, path = joined_girl(app, client, online_squad)
    other = app.test_client()
    page = other.get(path).get_data(as_text=True)
    assert "You already used this invitation" in page and "I have a code" in page
    posted = other.post(path, data={"pseudonym": "Iemand", "language": "en", "csrf_token": csrf_of(other)})
    assert posted.status_code == 410 and track_access.by_token(girl.token) is not None  # nothing taken over
    assert "This invitation no longer works" in app.test_client().get("/i/" + "x" * 22).get_data(as_text=True)


def test_a_replaced_invitation_that_was_never_used_says_it_no_longer_works(app, client, online_squad):
    track_id, first = create_track(client, online_squad)
    page = client.get(f"/staff/tracks/{track_id}").get_data(as_text=True)
    client.post(f"/staff/tracks/{track_id}/invitation", data={"csrf_token": csrf_from(page)})
    response = app.test_client().get(first)
    assert response.status_code == 410 and "This invitation no longer works" in response.get_data(as_text=True)


# --- her return code -------------------------------------------------------------------------------

def test_her_return_code_is_shown_once_and_only_its_keyed_hash_is_stored(app, client, online_squad):
    girl, track_id, _path = joined_girl(app, client, online_squad)
    code = girl.new_code()
    assert CODE_SHAPE.match(code)
    assert girl.new_code() is None  # once: the next visit does not show it again
    stored = track_of(track_id)
    plain = code.replace("-", "")
    assert stored.return_code_hash and plain not in stored.return_code_hash and code not in str(vars(stored))
    assert stored.return_code_hash != track_access.hash_token(plain)  # keyed with the server's secret
    assert girl.return_code("x" * 32).status_code == 403  # only with her token


def test_her_return_code_gets_a_new_phone_in_and_the_old_phone_is_told(app, client, online_squad):
    girl, track_id, _path = joined_girl(app, client, online_squad)
    code = girl.new_code()
    old_phone = her_phone(app, girl)
    assert old_phone.is_connected()
    old_phone.get_received()

    new = Girl(app)
    response = new.type_code(code.lower().replace("-", " "))  # typed in small letters, with spaces: fine
    assert response.status_code == 302 and response.headers["Location"] == f"/t/{girl.key}"
    new.open_track(response.headers["Location"])
    assert new.token and new.token != girl.token
    assert received(old_phone, "track:revoked") == [{"track": track_id}]
    assert track_access.by_token(girl.token) is None and track_access.by_token(new.token).id == track_id
    assert her_phone(app, new).is_connected()

    fresh = new.new_code()  # a NEW code, once; the old one is spent
    assert fresh and fresh != code
    third = Girl(app)
    assert WRONG_CODE_TEXT in third.type_code(code).get_data(as_text=True)
    assert third.type_code(fresh).status_code == 302


def test_wrong_reset_spent_and_closed_codes_get_the_same_answer(app, client, online_squad):
    girl, track_id, _path = joined_girl(app, client, online_squad)
    code = girl.new_code()
    stranger = Girl(app)

    def answer(typed: str) -> tuple[int, str]:
        response = stranger.type_code(typed)
        text = response.get_data(as_text=True)
        return response.status_code, re.search(r'role="alert">([^<]+)<', text).group(1)

    wrong = answer("ACEF-HJKM-NP")
    assert wrong == (200, WRONG_CODE_TEXT)
    track_access.reset_return_code(track_of(track_id))
    assert answer(code) == wrong  # reset by her coach
    newer = girl.new_code()
    assert Girl(app).type_code(newer).status_code == 302
    assert answer(newer) == wrong  # spent: used once already
    assert answer("ACEF-HJKM-N0") == wrong  # not even of the alphabet: the same words
    # a run's code (6 signs) keeps its own words
    assert "Check it with your counsellor" in stranger.type_code("ABC123").get_data(as_text=True)


def test_a_closed_track_cannot_be_entered_with_its_code(app, client, online_squad):
    girl, track_id, _path = joined_girl(app, client, online_squad)
    code = girl.new_code()
    track = track_of(track_id)
    track.closed_at = utcnow()
    db.session.commit()
    assert WRONG_CODE_TEXT in Girl(app).type_code(code).get_data(as_text=True)
    assert track_access.by_token(girl.token) is not None  # her own phone can still reread


def test_wrong_return_codes_are_rate_limited_per_address_and_a_right_code_waits_too(app, client, online_squad):
    girl, _track_id, _path = joined_girl(app, client, online_squad)
    code = girl.new_code()
    guesser = Girl(app)
    page = guesser.http.get("/code").get_data(as_text=True)
    token = csrf_from(page)
    statuses = [guesser.http.post("/code", data={"code": f"ACEF-HJKM-{a}{b}", "csrf_token": token}).status_code
                for a in "ACEFH" for b in "JKMN"]
    assert statuses == [200] * 20
    assert guesser.http.post("/code", data={"code": "ACEF-HJKM-PP", "csrf_token": token}).status_code == 429
    # Over the budget a right code waits too (else the answer would tell right from wrong) ...
    assert guesser.http.post("/code", data={"code": code, "csrf_token": token}).status_code == 429
    # ... and from another address it works: successes never spent anyone's budget.
    other = Girl(app)
    other.http.environ_base["REMOTE_ADDR"] = "10.1.2.3"
    assert other.type_code(code).status_code == 302


def test_the_return_code_and_forget_routes_count_wrong_tokens_per_track(app, client, online_squad):
    girl, _track_id, _path = joined_girl(app, client, online_squad)
    for n in range(20):
        stranger = app.test_client()
        stranger.environ_base["REMOTE_ADDR"] = f"10.9.0.{n + 1}"  # a new address each time
        page = stranger.get(f"/t/{girl.key}").get_data(as_text=True)
        csrf = re.search(r'data-csrf="([^"]+)"', page).group(1)
        assert stranger.post(f"/t/{girl.key}/return-code", data={"token": "y" * 32, "csrf_token": csrf}).status_code == 403
    # the 21st wrong try at this track waits, whatever the address; her own phone's right token counts nothing
    stranger = app.test_client()
    stranger.environ_base["REMOTE_ADDR"] = "10.9.1.1"
    csrf = re.search(r'data-csrf="([^"]+)"', stranger.get(f"/t/{girl.key}").get_data(as_text=True)).group(1)
    assert stranger.post(f"/t/{girl.key}/forget", data={"token": "y" * 32, "csrf_token": csrf}).status_code in (403, 429)
    assert stranger.post(f"/t/{girl.key}/return-code", data={"token": "y" * 32, "csrf_token": csrf}).status_code == 429


def test_her_coach_resets_the_code_and_she_sees_a_new_one_the_next_time(app, client, online_squad):
    girl, track_id, _path = joined_girl(app, client, online_squad)
    code = girl.new_code()
    page = client.get(f"/staff/tracks/{track_id}").get_data(as_text=True)
    assert "She has a personal return code" in page and 'id="reset-return-code"' in page
    assert code not in page and code.replace("-", "") not in page  # the coach never sees it
    reset = client.post(f"/staff/tracks/{track_id}/return-code/reset", data={"csrf_token": csrf_from(page)})
    assert reset.status_code == 302
    page = client.get(f"/staff/tracks/{track_id}").get_data(as_text=True)
    assert "She sees a new return code the next time she opens her track." in page
    assert WRONG_CODE_TEXT in Girl(app).type_code(code).get_data(as_text=True)
    newer = girl.new_code()  # her next visit
    assert newer and newer != code and girl.new_code() is None
    assert Girl(app).type_code(newer).status_code == 302


def test_another_coach_cannot_reset_her_code(app, client, online_squad):
    girl, track_id, _path = joined_girl(app, client, online_squad)
    girl.new_code()
    make_facilitator("bea@example.org", "Bea")
    other = app.test_client()
    login(other, "bea@example.org")
    page = other.get("/staff/squads").get_data(as_text=True)
    response = other.post(f"/staff/tracks/{track_id}/return-code/reset", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 404
    assert track_of(track_id).return_code_hash is not None


# --- forget this phone --------------------------------------------------------------------------------

def test_forget_this_phone_logs_this_browser_out_and_her_code_still_brings_her_back(app, client, online_squad):
    girl, track_id, _path = joined_girl(app, client, online_squad)
    code = girl.new_code()
    other_tab = her_phone(app, girl)
    other_tab.get_received()
    response = girl.http.post(f"/t/{girl.key}/forget", data={"token": girl.token, "csrf_token": girl.csrf},
                              headers={"X-GPS-Replace": "1"})
    assert response.status_code == 204 and response.headers["X-GPS-Next"] == "/phone-forgotten"
    assert received(other_tab, "track:revoked") == [{"track": track_id}]
    assert track_access.by_token(girl.token) is None
    assert not her_phone(app, girl).is_connected()  # her token no longer works on the server
    page = girl.http.get("/phone-forgotten").get_data(as_text=True)
    assert "This phone has forgotten your track" in page and "stay safe with your coach" in page
    assert "I have a code" in page and "Groene Egel" not in page
    assert girl.forget().status_code == 403  # a second time: nothing left to forget
    assert track_of(track_id).pseudonym == "Groene Egel"  # her work stays with her coach
    assert Girl(app).type_code(code).status_code == 302  # and her code is her way back
    state = client.get(f"/staff/tracks/{track_id}").get_data(as_text=True)
    assert "She sees a new return code the next time she opens her track." in state


def test_forget_needs_her_own_token_of_this_track(app, client, online_squad):
    girl, track_id, _path = joined_girl(app, client, online_squad)
    other, _other_id, _p = joined_girl(app, client, online_squad)
    response = girl.http.post(f"/t/{girl.key}/forget", data={"token": other.token, "csrf_token": girl.csrf})
    assert response.status_code == 403
    assert track_access.by_token(girl.token) is not None and track_access.by_token(other.token) is not None
    no_csrf = girl.http.post(f"/t/{girl.key}/forget", data={"token": girl.token})
    assert no_csrf.status_code == 400 and track_access.by_token(girl.token) is not None


# --- an unused invitation expires ---------------------------------------------------------------------

def test_an_unused_invitation_expires_after_invitation_days(app, client, online_squad):
    assert app.config["INVITATION_DAYS"] == 14
    track_id, path = create_track(client, online_squad)
    track = track_of(track_id)
    track.invited_at = utcnow() - timedelta(days=14, minutes=1)
    db.session.commit()
    girl = app.test_client()
    response = girl.get(path)
    assert response.status_code == 410 and "This invitation no longer works" in response.get_data(as_text=True)
    assert "too old" in response.get_data(as_text=True)
    posted = girl.post(path, data={"pseudonym": "Groene Egel", "language": "en", "csrf_token": csrf_of(girl)})
    assert posted.status_code == 410 and track_of(track_id).pseudonym is None
    page = client.get(f"/staff/tracks/{track_id}").get_data(as_text=True)
    assert 'id="invitation-expired"' in page
    # a new invitation works again, for another INVITATION_DAYS
    client.post(f"/staff/tracks/{track_id}/invitation", data={"csrf_token": csrf_from(page)})
    fresh = invitation_path(client, track_id)
    assert Girl(app).accept(fresh).status_code == 302


def test_an_invitation_a_day_before_it_expires_still_works(app, client, online_squad):
    app.config["INVITATION_DAYS"] = 3
    track_id, path = create_track(client, online_squad)
    track = track_of(track_id)
    track.invited_at = utcnow() - timedelta(days=2)
    db.session.commit()
    assert 'id="invitation-expires"' in client.get(f"/staff/tracks/{track_id}").get_data(as_text=True)
    assert Girl(app).accept(path).status_code == 302


# --- how soon her coach usually answers ------------------------------------------------------------------

def test_the_coach_sets_how_soon_she_usually_answers(app, client, online_squad):
    page = client.get(f"/staff/squads/{online_squad.id}").get_data(as_text=True)
    assert 'id="reply-within-form"' in page
    token = csrf_from(page)
    assert client.post(f"/staff/squads/{online_squad.id}/reply-within",
                       data={"reply_within": "next_day", "csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert online_squad.reply_within == "next_day"
    assert client.post(f"/staff/squads/{online_squad.id}/reply-within",
                       data={"reply_within": "whenever", "csrf_token": token}).status_code == 400
    assert client.post(f"/staff/squads/{online_squad.id}/reply-within",
                       data={"reply_within": "", "csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert online_squad.reply_within is None


def test_reply_time_only_for_her_own_online_squads(app, client, staff):
    group = squads.create_squad(staff, "Groep", SquadMode.GROUP)
    page = client.get(f"/staff/squads/{group.id}").get_data(as_text=True)
    assert 'id="reply-within-form"' not in page
    token = csrf_from(page)
    assert client.post(f"/staff/squads/{group.id}/reply-within",
                       data={"reply_within": "hours", "csrf_token": token}).status_code == 404


def test_the_girls_privacy_page_tells_the_way_back(app, client):
    page = app.test_client().get("/privacy").get_data(as_text=True)
    assert 'id="coming-back"' in page and "Forget this phone" in page and "return code" in page
    assert "stops working after 14 days" in page and "not even your coach" in page
