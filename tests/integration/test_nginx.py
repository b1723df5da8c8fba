"""deploy/nginx.conf in front of two server processes, on a loopback port with a self-signed certificate.

Runs when Debian's nginx and openssl are installed (.ci/run installs nginx) and PostgreSQL and Redis are configured.
Only the addresses, ports and certificate paths of deploy/nginx.conf are replaced; every proxy rule is the real one.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest
import requests
import urllib3

from .conftest import ROOT, Client, Cluster, demo_run, free_port, join_over_http, payload_for, staff_cookie, unique

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
pytestmark = pytest.mark.skipif(not NGINX or not shutil.which("openssl"),
                                reason="nginx or openssl is not installed (apt-get install nginx openssl)")


def local_site(folder: Path, upstreams: list[int], http_port: int, https_port: int) -> Path:
    """deploy/nginx.conf with loopback ports and a self-signed certificate instead of the public ones."""
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
                   check=True, capture_output=True, timeout=60)
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    servers = iter(upstreams)
    site = re.sub(r"server 127\.0\.0\.1:\d+;", lambda _: f"server 127.0.0.1:{next(servers)};", site)
    site = re.sub(r"listen \[::\]:\d+( ssl)?;\n", "", site)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    site = site.replace("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;")
    site = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {folder / 'cert.pem'};", site)
    site = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {folder / 'key.pem'};", site)
    main = (f"daemon off;\nworker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
            f"events {{ worker_connections 512; }}\n"
            f"http {{\n{site}\n}}\n")
    conf = folder / "nginx.conf"
    conf.write_text(main)
    return conf


@pytest.fixture(scope="module")
def proxied(pg_schema_url, redis_space, tmp_path_factory):
    """Two processes as in production (GPS_ENV=production, PROXY_COUNT=1) behind nginx on a loopback port."""
    folder = tmp_path_factory.mktemp("nginx")
    https_port = free_port()
    public = f"https://127.0.0.1:{https_port}"
    group = Cluster(pg_schema_url, redis_space, folder, GPS_ENV="production", PROXY_COUNT="1", PUBLIC_URL=public)
    conf = local_site(folder, [group.a.port, group.b.port], free_port(), https_port)
    checked = subprocess.run([NGINX, "-t", "-c", str(conf), "-p", str(folder)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    nginx = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(folder)], stderr=subprocess.DEVNULL)
    urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
    try:
        group.start()
        wait_answering(public + "/healthz")
        yield group, public
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        group.stop()


def wait_answering(url: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url, verify=False, timeout=3).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} did not answer through nginx within {timeout}s")


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's Chromium is not installed")
def test_a_browser_joins_through_nginx_over_https(proxied):
    """Chromium as a girl's phone: the join form (CSRF over HTTPS), the inbox's websocket, a live item."""
    sync_api = pytest.importorskip("playwright.sync_api")
    group, public = proxied
    run = demo_run(group.env, f"{unique('browser')}@gps.test")
    staff = Client("staff", cookie=staff_cookie(public, run["email"], verify=False), verify=False).connect(public)
    assert staff.call("facilitator:join", {"run": run["run"]})["ok"]

    def girl_in_chromium() -> None:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_context(ignore_https_errors=True, locale="en").new_page()
                page.goto(f"{public}/j/{run['join_token']}")
                page.fill("input[name=pseudonym]", "Groene Egel")
                page.click("button[type=submit]")
                page.wait_for_url(f"**/p/{run['join_token']}", timeout=10_000)
                sync_api.expect(page.locator("#me")).to_contain_text("Groene Egel", timeout=10_000)  # socket is up
                assert staff.call("facilitator:command", {"run": run["run"], "action": "start"})["ok"]
                page.wait_for_selector("#messages li", timeout=10_000)
            finally:
                browser.close()

    in_own_thread(girl_in_chromium)  # the browser tests' session-wide Playwright owns this thread's event loop
    staff.close()


def in_own_thread(work) -> None:
    failures = []

    def guarded():
        try:
            work()
        except BaseException as error:  # noqa: BLE001 - handed back to the test's thread
            failures.append(error)

    worker = threading.Thread(target=guarded)
    worker.start()
    worker.join(timeout=90)
    assert not worker.is_alive(), "the browser did not finish within 90 s"
    if failures:
        raise failures[0]


def test_a_girl_joins_and_answers_through_nginx_over_websocket(proxied):
    group, public = proxied
    health = requests.get(public + "/healthz", verify=False, timeout=10)
    assert health.json() == {"ok": True, "database": "ok", "queue": "ok"}
    assert "Secure" in requests.get(public + "/login", verify=False, timeout=10).headers["Set-Cookie"]
    run = demo_run(group.env, f"{unique('nginx')}@gps.test")
    staff = Client("staff", cookie=staff_cookie(public, run["email"], verify=False), verify=False).connect(public)
    assert staff.call("facilitator:join", {"run": run["run"]})["ok"]
    token = join_over_http(public, run["join_token"], "Paarse Uil", verify=False)
    phone = Client("Paarse Uil", auth={"token": token}, verify=False).connect(public)
    assert phone.sio.transport() == "websocket"
    phone.wait_for("snapshot")
    mark = phone.mark()
    assert staff.call("facilitator:command", {"run": run["run"], "action": "start"})["ok"]
    item = phone.wait_for("update", lambda u: u["item"] is not None, after=mark)["item"]
    seen = staff.mark()
    ack = phone.call("answer", {"item": item["id"], "payload": payload_for(item), "client_id": "nginx-0001"})
    assert ack["ok"], ack
    staff.wait_for("facilitator:answer", after=seen)

    # ip_hash sends every loopback client to the same process: kill that one; nginx must pass the reconnect on.
    kill_the_process_serving(group, phone)
    again = Client("Paarse Uil again", auth={"token": token}, verify=False).connect(public)
    snapshot = again.wait_for("snapshot")
    assert any(entry["id"] == item["id"] and entry.get("answer") for entry in snapshot["inbox"]), snapshot
    for client in (staff, again):
        client.close()


def kill_the_process_serving(group, phone: Client) -> None:
    """Kill A; if the phone stays connected, B serves her: bring A back (nginx never saw it fail) and kill B."""
    group.a.kill()
    try:
        phone.wait_for("__disconnect__", timeout=3)
    except AssertionError:
        group.start()
        group.b.kill()
        phone.wait_for("__disconnect__", timeout=10)
