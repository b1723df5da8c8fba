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
