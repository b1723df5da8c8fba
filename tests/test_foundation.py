"""Issue 2: factory, config, first start, login, CSRF, rate limit, access, languages, headers, CLI."""
from __future__ import annotations

from pathlib import Path

from app import create_app
from app.extensions import db
from app.models import Facilitator
from app.services import accounts
from config import Config, TestConfig

from .conftest import PASSWORD, csrf_from, login, make_facilitator


def test_factory_uses_given_config(app):
    assert app.config["TESTING"] is True
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite://"
    assert set(app.blueprints) >= {"auth", "facilitator", "participant", "presenter"}


def test_defaults_need_no_configuration(tmp_path, monkeypatch):
    for name in ("SECRET_KEY", "DATABASE_URL", "PUBLIC_URL"):
        monkeypatch.delenv(name, raising=False)

    class Fresh(Config):
        SECRET_KEY, DATABASE_URL, PUBLIC_URL = None, "", ""

    app = create_app(Fresh)
    assert Path(app.instance_path, "secret_key").exists() or app.config["SECRET_KEY"]
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert "localhost" not in app.config["PUBLIC_URL"] and "127.0.0.1" not in app.config["PUBLIC_URL"]
    assert app.config["PORT"] == 5000 and app.config["RETENTION_DAYS"] == 30
    assert app.config["BABEL_DEFAULT_LOCALE"] == "nl"


def test_secret_key_is_generated_once_and_kept(tmp_path):
    from app.instance import _stored_secret

    first = _stored_secret(tmp_path)
    assert len(first) == 64 and _stored_secret(tmp_path) == first


def test_security_headers_on_every_response(client):
    for path in ("/login", "/code", "/does-not-exist"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"


def test_session_cookie_is_httponly_and_samesite(client):
    cookie = client.get("/login").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_setup_link_works_once(app, client):
    token = accounts.issue_setup_token(app.instance_path)
    page = client.get(f"/setup/{token}")
    assert page.status_code == 200
    data = {"name": "Anna", "email": "Anna@Example.org", "password": PASSWORD, "confirm": PASSWORD,
            "csrf_token": csrf_from(page.get_data(as_text=True))}
    assert client.post(f"/setup/{token}", data=data).status_code == 302
    admin = Facilitator.query.one()
    assert admin.is_admin and admin.email == "anna@example.org"
    again = client.get(f"/setup/{token}")
    assert again.status_code == 410 and "no longer valid" in again.get_data(as_text=True)


def test_wrong_setup_token_is_refused(app, client):
    accounts.issue_setup_token(app.instance_path)
    assert client.get("/setup/guessed-token").status_code == 410


def test_login_and_logout(client):
    make_facilitator()
    assert login(client).headers["Location"].endswith("/staff/squads")
    assert client.get("/staff/squads").status_code == 200
    token = csrf_from(client.get("/staff/squads").get_data(as_text=True))
    client.post("/logout", data={"csrf_token": token})
    assert client.get("/staff/squads").status_code == 302


def test_wrong_password_and_unknown_account_get_the_same_message(client):
    make_facilitator()
    wrong = login(client, password="not the password").get_data(as_text=True)
    unknown = login(client, email="nobody@example.org").get_data(as_text=True)
    message = "That email address and password do not match an active account."
    assert message in wrong and message in unknown


def test_deactivated_account_cannot_log_in(client):
    person = make_facilitator()
    person.active = False
    from app.extensions import db

    db.session.commit()
    assert login(client).status_code == 200


def test_form_without_csrf_token_is_refused(client):
    make_facilitator()
    response = client.post("/login", data={"email": "anna@example.org", "password": PASSWORD})
    assert response.status_code == 400


def test_login_attempts_are_rate_limited(client):
    make_facilitator()
    codes = [login(client, password="wrong password!").status_code for _ in range(12)]
    assert codes[:10] == [200] * 10 and codes[-1] == 429


def test_staff_pages_need_login(client):
    for path in ("/staff/squads", "/staff/modules", "/colleagues"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_admin_adds_and_deactivates_a_colleague(client, staff):
    page = client.get("/colleagues").get_data(as_text=True)
    data = {"name": "Bea", "email": "bea@example.org", "password": PASSWORD, "confirm": PASSWORD,
            "csrf_token": csrf_from(page)}
    assert client.post("/colleagues", data=data).status_code == 302
    bea = accounts.find_by_email("bea@example.org")
    client.post(f"/colleagues/{bea.id}/active/0", data={"csrf_token": csrf_from(page)})
    db.session.expire_all()
    assert accounts.find_by_email("bea@example.org").active is False


def test_non_admin_cannot_manage_colleagues(client):
    make_facilitator()
    login(client)
    assert client.get("/colleagues").status_code == 403


def test_each_language_renders(client):
    expected = {"nl": "Inloggen", "fr": "Se connecter", "en": "Log in"}
    for code, word in expected.items():
        client.get(f"/lang/{code}")
        html = client.get("/login").get_data(as_text=True)
        assert f'<html lang="{code}">' in html and word in html


def test_accept_language_is_used_without_a_choice(app):
    client = app.test_client()
    html = client.get("/login", headers={"Accept-Language": "fr-BE,fr;q=0.9"}).get_data(as_text=True)
    assert '<html lang="fr">' in html


def test_language_switch_only_redirects_locally(client):
    assert client.get("/lang/fr?next=//evil.example").headers["Location"] == "/"
    assert client.get("/lang/fr?next=/code").headers["Location"] == "/code"


def test_cli_create_facilitator_and_help(runner):
    result = runner.invoke(args=["gps", "create-facilitator", "--email", "c@example.org", "--name", "C",
                                 "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    assert accounts.find_by_email("c@example.org") is not None
    again = runner.invoke(args=["gps", "create-facilitator", "--email", "c@example.org", "--name", "C",
                                "--password", PASSWORD])
    assert again.exit_code != 0 and "already exists" in again.output
    help_text = runner.invoke(args=["gps", "--help"]).output
    assert "create-facilitator" in help_text


def test_test_config_is_isolated():
    assert TestConfig.DATABASE_URL == "sqlite://" and TestConfig.SOCKETIO_ASYNC_MODE == "threading"


# --- issue 17: static files ----------------------------------------------------------------------

def static_url_of(client, filename: str) -> str:
    with client.application.test_request_context():
        return client.application.jinja_env.globals["asset_url"](filename)


def test_only_the_current_content_hash_is_cached_as_immutable(client):
    from app.assets import fingerprint

    url = static_url_of(client, "css/base.css")
    current = fingerprint(Path(client.application.static_folder) / "css" / "base.css")
    assert url.endswith(f"?v={current}")
    pinned = client.get(url).headers["Cache-Control"]
    assert "immutable" in pinned and "max-age=31536000" in pinned
    for stale in ("/static/css/base.css?v=000000000000", "/static/css/base.css?v=" + current[:-1],
                  "/static/css/base.css"):
        assert "immutable" not in client.get(stale).headers.get("Cache-Control", ""), stale


def test_a_changed_file_gets_a_new_fingerprint(tmp_path):
    from app.assets import fingerprint

    asset = tmp_path / "site.css"
    asset.write_text("body { color: black }")
    before = fingerprint(asset)
    asset.write_text("body { color: white }")
    assert fingerprint(asset) != before and len(before) == 12


def test_static_files_do_not_vary_on_the_session_cookie(client, staff):
    assert client.get_cookie("session") is not None  # a logged-in counsellor's browser sends her cookie
    static = client.get(static_url_of(client, "css/base.css"))
    assert static.status_code == 200
    assert "Cookie" not in static.headers.get("Vary", "") and "Set-Cookie" not in static.headers
    page = client.get("/staff/squads")  # pages still depend on who asks
    assert page.status_code == 200 and "Cookie" in page.headers["Vary"]


def test_readme_test_command_is_what_ci_runs():
    root = Path(__file__).resolve().parent.parent
    ci_last_line = (root / ".ci" / "run").read_text().strip().splitlines()[-1]
    readme = (root / "README.md").read_text()
    tests_section = readme.split("### Run the tests", 1)[1]
    assert f"```sh\n{ci_last_line}\n```" in tests_section
