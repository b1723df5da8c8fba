"""`gps-live`: start the server (no command), or run an administration command.

gps_live.py has already decided about gevent's monkey patching (only for the server) before this module,
and with it Flask and the whole app, is imported. Every failure a counsellor can cause or meet (a port in
use, an unwritable folder, a mistyped command, no demo to remove) ends in one line and a non-zero exit.
"""
from __future__ import annotations

import os
import signal
import sys

import click
from flask.cli import ScriptInfo
from sqlalchemy.exc import SQLAlchemyError

from . import cli as admin
from . import startup

PROG = "gps-live"
STOP_GRACE_SECONDS = 1  # open phone connections get this long to finish after Ctrl-C


@click.group(name=PROG, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--host", metavar="ADDRESS", help="Address to listen on (default: HOST or 0.0.0.0, every network).")
@click.option("--port", type=click.IntRange(1, 65535), metavar="NUMBER",
              help="Port to listen on (default: PORT or 5000); the commands' links use it too.")
@click.option("--no-migrate", is_flag=True,
              help="Do not upgrade the database at start (when several processes share one database).")
@click.option("--verbose", is_flag=True, help="Also show the details of the start (database migrations).")
@click.version_option(package_name="gps-live", prog_name=PROG, message="%(prog)s %(version)s")
@click.pass_context
def console(ctx: click.Context, host: str | None, port: int | None, no_migrate: bool, verbose: bool) -> None:
    """Start GPS Live on this computer, or run one of the commands below.

    Without a command it starts the server: phones on the same Wi-Fi join through the address it prints.
    Every setting is an environment variable (README.md); none is needed for a first start.
    """
    if port:
        os.environ["PORT"] = str(port)  # read by the config, so the commands' links use this port too
    startup.configure_logging(verbose)
    # The administration commands are Flask CLI commands: they find the app (with the server's config) here.
    ctx.obj = ScriptInfo(create_app=startup.build_app)
    if ctx.invoked_subcommand is None:
        serve(host, migrate=not no_migrate)


for command in (admin.create_facilitator, admin.demo, admin.purge, admin.content):
    console.add_command(command)


def serve(host: str | None, *, migrate: bool) -> None:
    from gevent import monkey

    if not monkey.is_module_patched("socket"):
        raise click.ClickException("the server must be started through gps_live.main (gevent is not set up).")
    app, listener, setup_url = startup.prepare(host, migrate=migrate)
    startup.start_retention(app)
    startup.settle_memory()
    print_addresses(app, host or app.config["HOST"], app.config["PORT"], setup_url)
    _serve_until_ctrl_c(app, listener)
    click.echo("GPS Live stopped.")


def print_addresses(app, host: str, port: int, setup_url: str | None) -> None:
    """What a counsellor needs and nothing more: her own address, the phones' address, the first-start link."""
    click.echo("GPS Live is running.")
    click.echo(f"  On this laptop:  http://127.0.0.1:{port}/")
    click.echo(f"  Phones use:      {app.config['PUBLIC_URL']}/   (on the same Wi-Fi as this laptop)")
    if (host.startswith("127.") or host == "localhost") and not app.config.get("PROXY_COUNT"):
        click.echo(f"  Note: it listens on {host} only, so phones cannot reach it; start without --host for them.")
    if setup_url:  # also after `gps-live demo`: the demo account is not a staff account
        click.echo(f"  First start: create the first staff account here (works once): {setup_url}")
    click.echo("Press Ctrl-C to stop.")
    sys.stdout.flush()


def _serve_until_ctrl_c(app, listener) -> None:
    """What socketio.run does for gevent, but on a socket that is already bound (see startup.listen), and
    with a quiet Ctrl-C: left as KeyboardInterrupt, it would hit whichever greenlet runs and print its
    traceback. SIGINT is the one signal every platform delivers for Ctrl-C (Windows included).
    Websockets come through simple-websocket, as with socketio.run when gevent-websocket is not installed."""
    from gevent import pywsgi
    from gevent.event import Event

    from . import security

    stop = Event()
    # No access log, and the error log without clients' addresses (issue 11, docs/privacy.md).
    server = pywsgi.WSGIServer(listener, app, log=None, error_log=security.AddressFreeLog())
    previous = signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        server.start()
        stop.wait()
    finally:
        server.stop(timeout=STOP_GRACE_SECONDS)
        signal.signal(signal.SIGINT, previous)


def run_command(argv: list[str]) -> int:
    """Run `gps-live ARGS`; returns the exit code. Errors are one line on stderr, never a traceback."""
    try:
        result = console.main(args=argv, prog_name=PROG, standalone_mode=False)
    except click.UsageError as error:
        return _fail(f"{error.format_message()} `{PROG} --help` lists the commands and options.", 2)
    except click.ClickException as error:
        return _fail(error.format_message(), error.exit_code or 1)
    except click.Abort:
        return _fail("stopped.", 1)
    except startup.StartupError as error:
        click.echo(f"GPS Live cannot start: {error}", err=True)  # the line tests and docs know
        return 1
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        return _fail(f"the database cannot be used ({reason}).", 1)
    except OSError as error:
        where = f" ({error.filename})" if error.filename else ""
        return _fail(f"{error.strerror or error}{where}.", 1)
    return result if isinstance(result, int) else 0


def _fail(message: str, code: int) -> int:
    click.echo(f"{PROG}: {message}", err=True)
    return code
