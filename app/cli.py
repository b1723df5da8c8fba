"""Command line: `flask --app app gps --help` lists every command."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from .services import accounts

gps = AppGroup("gps", help="GPS Live administration commands.")


def init_app(app: Flask) -> None:
    app.cli.add_command(gps)


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
    try:
        accounts.create_facilitator(email=email, name=name, password=password, is_admin=admin)
    except accounts.AccountError:
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


@gps.command("demo")
@click.option("--email", default="demo@gps.local", show_default=True, help="Login of the demo account.")
@click.option("--password", default="demo-demo-demo", show_default=True, help="Password of the demo account.")
def demo(email: str, password: str) -> None:
    """Create (or reuse) a demo account, squad and an open run of module 0, and print the links to try it."""
    from flask import current_app

    from .services import demo as demo_service

    facilitator, run = demo_service.ensure_demo(email=email, password=password)
    base = current_app.config["PUBLIC_URL"]
    port = current_app.config["PORT"]
    click.echo(f"Staff login: http://127.0.0.1:{port}/login  ({facilitator.email} / {password})")
    click.echo(f"Dashboard:   http://127.0.0.1:{port}/staff/runs/{run.id}")
    click.echo(f"Join link:   {base}/j/{run.join_token}   (code {run.join_code})")


@gps.command("purge")
@click.option("--days", type=int, default=None, help="Keep this many days (default: RETENTION_DAYS).")
def purge(days: int | None) -> None:
    """Delete answers, signals and pseudonyms of runs that ended longer ago than the retention period."""
    from flask import current_app

    from .services import retention

    keep = current_app.config["RETENTION_DAYS"] if days is None else days
    click.echo(f"Purged {retention.purge(keep)} run(s) that ended more than {keep} days ago.")
    click.echo(f"Deleted {retention.purge_tracks(keep)} track(s) closed more than {keep} days ago.")
