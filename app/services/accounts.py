"""Staff accounts and the one-time setup link of a fresh installation."""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from sqlalchemy import func, select

from ..extensions import db
from ..models import Facilitator
from ..refusals import Refused

SETUP_FILE = "setup-token"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def has_facilitators() -> bool:
    """A real staff account exists: the demo account (gps-live demo) does not count, so a fresh install
    that tried the demo first still offers the one-time link for its first administrator."""
    from .demo import DEMO_EMAIL

    query = select(func.count(Facilitator.id)).where(Facilitator.email != DEMO_EMAIL)
    return db.session.scalar(query) > 0


def issue_setup_token(instance_path: str) -> str:
    """A fresh random token for the console; only its hash is kept, so the file alone cannot be replayed."""
    token = secrets.token_urlsafe(24)
    (Path(instance_path) / SETUP_FILE).write_text(_digest(token))
    return token


def setup_token_valid(instance_path: str, token: str) -> bool:
    return not has_facilitators() and _token_matches(Path(instance_path) / SETUP_FILE, token)


def _token_matches(path: Path, token: str) -> bool:
    try:
        return hmac.compare_digest(path.read_text().strip(), _digest(token))
    except OSError:  # gone: spent, or never issued
        return False


def complete_setup(instance_path: str, token: str, *, email: str, name: str, password: str) -> Facilitator:
    """The first administrator, once. The token is spent before the account is made (see _claim_setup_token),
    so two requests at the same moment (two tabs, two server processes) cannot both make one."""
    claimed = _claim_setup_token(Path(instance_path), token)
    try:
        if has_facilitators():
            raise Refused("setup_link_invalid")
        facilitator = create_facilitator(email=email, name=name, password=password, is_admin=True)
    except Exception:
        os.replace(claimed, Path(instance_path) / SETUP_FILE)  # not used after all: the link works again
        raise
    claimed.unlink(missing_ok=True)
    return facilitator


def _claim_setup_token(folder: Path, token: str) -> Path:
    """Move the token file aside under a name only this request knows: a rename is atomic, so of two
    requests exactly one gets it and the other finds nothing (measured before: two admin accounts in 4 of 10
    rounds of two simultaneous requests on PostgreSQL, where checking and creating were two steps)."""
    path = folder / SETUP_FILE
    if not _token_matches(path, token):
        raise Refused("setup_link_invalid")
    claimed = folder / f"{SETUP_FILE}.claimed-{secrets.token_hex(8)}"
    try:
        os.rename(path, claimed)
    except FileNotFoundError:  # another request was first
        raise Refused("setup_link_invalid") from None
    if not _token_matches(claimed, token):  # replaced by a fresh token in between: put it back
        os.replace(claimed, path)
        raise Refused("setup_link_invalid")
    return claimed


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> Facilitator | None:
    return db.session.scalar(select(Facilitator).where(Facilitator.email == normalise_email(email)))


def create_facilitator(*, email: str, name: str, password: str, is_admin: bool = False) -> Facilitator:
    if find_by_email(email):
        raise Refused("email_taken")
    facilitator = Facilitator(email=normalise_email(email), name=name.strip(), is_admin=is_admin)
    facilitator.set_password(password)
    db.session.add(facilitator)
    db.session.commit()
    return facilitator


def authenticate(email: str, password: str) -> Facilitator | None:
    """The same answer (None) for an unknown address, a wrong password and a deactivated account."""
    facilitator = find_by_email(email)
    if facilitator is None:
        _DUMMY.check_password(password)  # same work either way, so timing tells nothing
        return None
    if not facilitator.check_password(password) or not facilitator.active:
        return None
    return facilitator


def set_active(facilitator: Facilitator, active: bool, *, by: Facilitator) -> None:
    if facilitator.id == by.id and not active:
        raise Refused("cannot_deactivate_self")
    facilitator.active = active
    db.session.commit()


_DUMMY = Facilitator(password_hash="scrypt:32768:8:1$00000000$" + "0" * 128)
