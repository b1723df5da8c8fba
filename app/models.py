"""The data model (DESIGN.md §3). The database is the truth: every live state lives here."""
from __future__ import annotations

import enum
from datetime import datetime, timezone

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, DateTime, Enum, ForeignKey, Integer, String, UniqueConstraint, event, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db
from .refusals import Refused


# Live channels and links are named by ids: an id of a deleted row must never name a new one (issue 11).
# PostgreSQL sequences never reuse; SQLite needs AUTOINCREMENT for that.
NEVER_REUSE_IDS = {"sqlite_autoincrement": True}


def utcnow() -> datetime:
    """Naive UTC, so SQLite and PostgreSQL compare the same way."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class SquadMode(str, enum.Enum):
    GROUP = "group"
    OFFLINE_INDIVIDUAL = "offline_individual"
    ONLINE_INDIVIDUAL = "online_individual"


class RunState(str, enum.Enum):
    LOBBY = "lobby"
    LIVE = "live"
    ENDED = "ended"


class Facilitator(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of every staff session: bumping it (logout, deactivation, new password) ends all her sessions at once.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The attention view's soft sound for a new signal; her choice, kept across devices (issue 13).
    attention_sound: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    squads: Mapped[list[Squad]] = relationship(back_populates="owner")

    __table_args__ = NEVER_REUSE_IDS

    @property
    def is_active(self) -> bool:  # Flask-Login refuses deactivated accounts
        return self.active

    def set_password(self, password: str) -> None:
        """A new password also ends every session of the old one (issue 11)."""
        if self.password_hash:
            self.session_version = (self.session_version or 0) + 1
        self.password_hash = generate_password_hash(password, method=_hash_method())

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


def _hash_method() -> str:
    """scrypt, unless the config names a cheaper one (the tests do: TestConfig.PASSWORD_HASH_METHOD)."""
    from flask import current_app, has_app_context

    return (current_app.config.get("PASSWORD_HASH_METHOD") if has_app_context() else None) or "scrypt"


class Squad(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("facilitator.id"))
    name: Mapped[str] = mapped_column(String(80))
    mode: Mapped[SquadMode] = mapped_column(Enum(SquadMode, native_enum=False, length=24), default=SquadMode.GROUP)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Online tracks: how soon the coach usually answers, told to the girl when she asks to talk (issue 13).
    reply_within: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    owner: Mapped[Facilitator] = relationship(back_populates="squads")
    # The squad's own runs; the module runs of its online tracks belong to their track (Track.runs).
    runs: Mapped[list[Run]] = relationship(
        primaryjoin="and_(Squad.id == Run.squad_id, Run.track_id.is_(None))", order_by="Run.created_at",
        viewonly=True)

    __table_args__ = NEVER_REUSE_IDS


@event.listens_for(Squad, "load")
def _held_while_the_session_lasts(squad: Squad, context) -> None:
    """A run's squad decides its messages (runs.items_of), so nearly every event reads it again after a commit
    has expired the run. The session holds rows only weakly: without a holder the squad was gone by then and
    read again, up to three times per move (issue 16). Held here, `run.squad` finds it in the session."""
    context.session.info.setdefault("held_squads", []).append(squad)


class Run(db.Model):
    """One live pass through one module by one squad: lobby -> live -> ended."""

    id: Mapped[int] = mapped_column(primary_key=True)
    squad_id: Mapped[int] = mapped_column(ForeignKey("squad.id"))
    module_number: Mapped[int] = mapped_column(Integer)
    state: Mapped[RunState] = mapped_column(Enum(RunState, native_enum=False, length=16), default=RunState.LOBBY)
    join_token: Mapped[str] = mapped_column(String(64), unique=True)
    join_code: Mapped[str | None] = mapped_column(String(6), unique=True)
    screen_token: Mapped[str] = mapped_column(String(64), unique=True)
    door_open: Mapped[bool] = mapped_column(Boolean, default=True)
    current_index: Mapped[int | None] = mapped_column(Integer)
    furthest_index: Mapped[int | None] = mapped_column(Integer)  # items up to here are in the girls' inboxes
    # item id -> {"results": bool, "info": bool}: what the group has been shown so far
    reveals: Mapped[dict] = mapped_column(JSON, default=dict)
    # offline individual only: her answer reveals the info and brings the next message (issue 5)
    self_paced: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    purged_at: Mapped[datetime | None] = mapped_column(DateTime)  # answers gone; only ItemTally counts remain
    last_activity_at: Mapped[datetime | None] = mapped_column(DateTime)  # join, answer, move: retention counts from here
    # Open and word-cloud answers reach the projector only once staff approved them (issue 15).
    moderated: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    screen_theme: Mapped[str] = mapped_column(String(8), default="dark", server_default="dark")
    timer_seconds: Mapped[int | None] = mapped_column(Integer)
    timer_started_at: Mapped[datetime | None] = mapped_column(DateTime)
    # One module of one girl's track (issue 13): self-paced, never joined by link, deleted with the track.
    track_id: Mapped[int | None] = mapped_column(ForeignKey("track.id", ondelete="CASCADE"), index=True)

    squad: Mapped[Squad] = relationship()
    participants: Mapped[list[Participant]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="Participant.joined_at")
    # Deleting a run through the ORM (a track's modules) takes its signals along; SQLite does not cascade.
    signals: Mapped[list[Signal]] = relationship(cascade="all, delete-orphan", order_by="Signal.id")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = NEVER_REUSE_IDS

    # --- the moves (issue 14): every change of a run's state is one of these, and refuses what its state forbids.
    # Services supply what the model cannot know (how many messages the module has for this way of working).

    def start(self) -> None:
        self._require(RunState.LOBBY, "not_in_lobby")
        self.state, self.started_at, self.current_index, self.furthest_index = RunState.LIVE, utcnow(), 0, 0

    def end(self) -> None:
        if self.state is RunState.ENDED:
            raise Refused("run_ended")
        self.state, self.ended_at, self.door_open, self.join_code = RunState.ENDED, utcnow(), False, None

    def set_door(self, open_: bool) -> None:
        self._require_not_ended()
        self.door_open = open_

    def go_to(self, index: int, count: int) -> None:
        """To message `index` of `count`; the girls' inboxes keep everything up to the furthest one."""
        self._require_live()
        if not isinstance(index, int) or not 0 <= index < count:
            raise Refused("no_such_item")
        if index != self.current_index:  # the timer belongs to the message it was started on (issue 15)
            self.timer_seconds = self.timer_started_at = None
        self.current_index = index
        self.furthest_index = max(index, self.furthest_index or 0)

    def step(self, delta: int, count: int) -> None:
        self._require_live()
        self.go_to(self.current_index + delta, count)

    def reveal(self, item_id: str, what: str) -> None:
        """Show the results ('results') or also the blogger's info ('info') of the current message; either
        closes the answers."""
        self._require_live()
        self._set_shown(item_id, results=True, **({"info": True} if what == "info" else {}))

    def conceal(self, item_id: str, what: str, current_id: str) -> None:
        """Undo a reveal (issue 15): the info, or the results (which also hides the info and opens answering
        again). `item_id` is the message the counsellor saw: refused unless it is the current one."""
        self._require_live()
        if current_id != item_id:
            raise Refused("item_not_live")
        self._set_shown(item_id, info=False, **({"results": False} if what == "results" else {}))

    def set_self_paced(self, on: bool, *, individual: bool) -> None:
        """Offline one-to-one only: her answer reveals the info and brings the next message."""
        if not individual:
            raise Refused("not_individual")
        self._require_not_ended()
        self.self_paced = on

    def start_timer(self, seconds: int | None, closes: bool, item_id: str | None) -> None:
        """(Re)start the timer of the current message; `seconds` None: a length the service refused."""
        self._require_timer(item_id)
        if seconds is None:
            raise Refused("bad_timer")
        self.timer_seconds, self.timer_started_at = seconds, utcnow()
        self._set_shown(item_id, timer_closes=closes)

    def stop_timer(self, item_id: str | None) -> None:
        """Staff take the timer away; answering stays as it is."""
        self._require_timer(item_id)
        self._set_shown(item_id, timer_closes=False)
        self.timer_seconds = self.timer_started_at = None

    def _set_shown(self, item_id: str, **what: bool) -> None:
        self.reveals = {**self.reveals, item_id: {**self.reveals.get(item_id, {}), **what}}

    def _require_timer(self, item_id: str | None) -> None:
        if self.state is RunState.ENDED:
            raise Refused("timer_run_ended")
        if self.state is not RunState.LIVE or item_id is None:
            raise Refused("not_started")

    def _require_live(self) -> None:
        self._require(RunState.LIVE, "not_started")

    def _require_not_ended(self) -> None:
        if self.state is RunState.ENDED:
            raise Refused("run_ended")

    def _require(self, state: RunState, code: str) -> None:
        if self.state is not state:
            raise Refused("run_ended" if self.state is RunState.ENDED else code)


class Participant(db.Model):
    """A pseudonym inside one run; the phone keeps a random token, we keep only its hash."""

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("run.id", ondelete="CASCADE"), index=True)
    pseudonym: Mapped[str] = mapped_column(String(24))
    pseudonym_key: Mapped[str] = mapped_column(String(24))  # casefolded, for uniqueness in the run
    # None: no phone holds her yet or of its own (a module of her track; her next one-to-one module, issue 13).
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    removed: Mapped[bool] = mapped_column(Boolean, default=False)
    joined_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    connected: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The same girl across the modules of her squad (one-to-one) or her online track (issue 13). SET NULL: her
    # answers in a run go with the run (its own retention), never with the enrolment.
    track_id: Mapped[int | None] = mapped_column(ForeignKey("track.id", ondelete="SET NULL"), index=True)

    run: Mapped[Run] = relationship(back_populates="participants")
    answers: Mapped[list[Answer]] = relationship(back_populates="participant", cascade="all, delete-orphan")

    __table_args__ = (UniqueConstraint("run_id", "pseudonym_key"), NEVER_REUSE_IDS)


class Answer(db.Model):
    """One participant's response to one item; one row per (participant, item) whatever the retries."""

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    run_id: Mapped[int] = mapped_column(ForeignKey("run.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str] = mapped_column(String(40))
    value: Mapped[dict] = mapped_column(JSON)
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)
    client_id: Mapped[str] = mapped_column(String(64))
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    approved: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # A low check-in stays in the attention view until staff have seen it (issue 13).
    seen_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    participant: Mapped[Participant] = relationship(back_populates="answers")

    __table_args__ = (UniqueConstraint("participant_id", "item_id"), NEVER_REUSE_IDS)


class Signal(db.Model):
    """A private "I want to talk" from a girl to her facilitator or coach. Never shown on the projector."""

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("run.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16), default="talk")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime)

    participant: Mapped[Participant] = relationship()

    __table_args__ = NEVER_REUSE_IDS


class ItemTally(db.Model):
    """What survives the retention purge of a run: counts per item, no text, no pseudonyms."""

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("run.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str] = mapped_column(String(40))
    answered: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = NEVER_REUSE_IDS


class AuditEntry(db.Model):
    """Who deleted what, and when: staff actions only, never a girl's pseudonym or answer."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("facilitator.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(200))

    actor: Mapped[Facilitator | None] = relationship()

    __table_args__ = NEVER_REUSE_IDS


from .models_tracks import SupportMessage, Track  # noqa: E402,F401  (issue 5, 13)
