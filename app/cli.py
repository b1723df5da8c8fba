"""The administration commands: `gps-live --help` lists them (app/console.py); `flask --app app gps …`
runs the same commands (for deployments that call Flask's CLI)."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from .services import accounts
from .refusals import Refused

gps = AppGroup("gps", help="GPS Live administration commands.")


def init_app(app: Flask) -> None:
    app.cli.add_command(gps)


def database_ready() -> None:
    """A command run before the server's first start still finds every table: upgrade first (quietly)."""
    from flask import current_app

    from .startup import upgrade_database

    upgrade_database(current_app)


@gps.command("create-facilitator")
@click.option("--email", prompt=True, help="Login email address.")
@click.option("--name", prompt=True, help="Name shown to colleagues.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="At least 10 characters (asked for when left out).")
@click.option("--admin", is_flag=True, help="May add and deactivate colleagues.")
def create_facilitator(email: str, name: str, password: str, admin: bool) -> None:
    """Create a staff account."""
    if len(password) < 10:
        raise click.ClickException("The password needs at least 10 characters.")
    database_ready()
    try:
        accounts.create_facilitator(email=email, name=name, password=password, is_admin=admin)
    except Refused:
        raise click.ClickException(f"An account with {email} already exists.")
    click.echo(f"Created {'admin ' if admin else ''}account {accounts.normalise_email(email)}.")


content = AppGroup("content", help="The programme content in sessions/.")
gps.add_command(content)


@content.command("check")
@click.option("--dir", "directory", default=None, help="Folder with module0.yaml … module5.yaml (default: sessions/).")
def content_check(directory: str | None) -> None:
    """Validate every module file; one clear line per problem, exit 1 when anything is wrong."""
    from .content import ContentError, content_problems, load_programme
    from .programme import SESSIONS

    folder = directory or SESSIONS
    try:
        programme = load_programme(folder)
    except ContentError as error:
        raise click.ClickException(str(error))
    # The file shapes are fine; now the arc, the minutes, the one-to-one
    # wording and the glossary, every problem on its own line.
    problems = content_problems(programme, folder)
    for line in problems:
        click.echo(line, err=True)
    total = sum(len(m.items) for m in programme.modules.values())
    minutes = ", ".join(f"{n}: {m.minutes}" for n, m in sorted(programme.modules.items()))
    if problems:
        raise click.ClickException(f"{len(problems)} content problem(s) in {len(programme.modules)} modules, "
                                   f"{total} items (minutes per module {minutes}).")
    click.echo(f"Content OK: {len(programme.modules)} modules, {total} items (minutes per module {minutes}).")


@gps.command("demo", short_help="A demo account, squad and open run to try on your phone (--remove: delete).")
@click.option("--remove", is_flag=True, help="Delete the demo account and everything made with it.")
def demo(remove: bool) -> None:
    """A demo account, squad and open run of module 0, with the links to try it on your own phone.

    Everything made with the demo account is demo data; --remove deletes it all. Only the password's hash
    is kept, so each run of this command makes a new password (the previous one stops working).
    """
    from flask import current_app

    from .services import demo as demo_service

    database_ready()
    if remove:
        try:
            removed = demo_service.remove_demo()
        except demo_service.NoDemo:
            raise click.ClickException("There is no demo to remove.")
        click.echo(f"Removed the demo account and everything made with it: {removed}.")
        return
    access = demo_service.ensure_demo()
    base, port = current_app.config["PUBLIC_URL"], current_app.config["PORT"]
    run = access.run
    click.echo("Demo ready. Start GPS Live with `gps-live` (in another window) if it is not running yet.")
    click.echo(f"  Staff login: http://127.0.0.1:{port}/login")
    click.echo(f"      email:    {access.email}")
    click.echo(f"      password: {access.password}   (new each time you run `gps-live demo`)")
    click.echo(f"  Dashboard:   http://127.0.0.1:{port}/staff/runs/{run.id}")
    click.echo(f"  Join link:   {base}/j/{run.join_token}   (or code {run.join_code} at {base}/code)")
    click.echo("Everything made with the demo account is demo data: `gps-live demo --remove` deletes it all.")


@gps.command("purge", short_help="Delete what is past the retention period (the server does it daily).")
@click.option("--days", type=int, default=None, help="Keep this many days (default: RETENTION_DAYS).")
def purge(days: int | None) -> None:
    """Delete answers, signals and pseudonyms of runs that ended longer ago than the retention period."""
    from flask import current_app

    from .services import retention

    keep = current_app.config["RETENTION_DAYS"] if days is None else days
    database_ready()
    click.echo(f"Purged {retention.purge(keep)} run(s) that ended more than {keep} days ago.")
    click.echo(f"Deleted {retention.purge_tracks(keep)} track(s) closed more than {keep} days ago.")
