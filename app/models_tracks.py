"""One girl's enrolment in an individual squad (issues 5, 13): her pseudonym, her phone, her coach's messages.

Each module she works through is a Run of its own with her as its one Participant (`Run.track_id`), so
answers, signals, reveals, reports, hiding and retention are the run's own rules. Deleting a track deletes
its runs with everything in them, and its messages.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db
from .models import NEVER_REUSE_IDS, Participant, Run, Squad, utcnow


class Track(db.Model):
    """One girl's track. Only hashes of her token, of the pending invitation and of her return code are kept."""

    id: Mapped[int] = mapped_column(primary_key=True)
    squad_id: Mapped[int] = mapped_column(ForeignKey("squad.id"), index=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)  # public name in URLs, not a secret
    pseudonym: Mapped[str | None] = mapped_column(String(24))
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    invite_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    invited_at: Mapped[datetime | None] = mapped_column(DateTime)  # an unused invitation expires from here
    # The invitation she already used: tapped again on the phone that holds the track, it resumes (issue 13).
    spent_invite_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    return_code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    open_modules: Mapped[list] = mapped_column(JSON, default=list)
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    joined_at: Mapped[datetime | None] = mapped_column(DateTime)
    paused_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_activity_at: Mapped[datetime | None] = mapped_column(DateTime)  # retention counts from here

    squad: Mapped[Squad] = relationship()
    runs: Mapped[list[Run]] = relationship(cascade="all, delete-orphan", order_by="Run.module_number",
                                           foreign_keys=[Run.track_id])
    girls: Mapped[list[Participant]] = relationship(foreign_keys=[Participant.track_id], viewonly=True)
    messages: Mapped[list[SupportMessage]] = relationship(
        back_populates="track", cascade="all, delete-orphan", order_by="SupportMessage.id")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = NEVER_REUSE_IDS

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None


class SupportMessage(db.Model):
    """A short message between coach and girl inside one track (sender 'coach' or 'girl')."""

    id: Mapped[int] = mapped_column(primary_key=True)
    track_id: Mapped[int] = mapped_column(ForeignKey("track.id", ondelete="CASCADE"), index=True)
    sender: Mapped[str] = mapped_column(String(8))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("facilitator.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    client_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)  # by the other side: unread ones need attention

    track: Mapped[Track] = relationship(back_populates="messages")

    # Coach and girl each make their own client ids: one namespace per sender, so neither drops the other's message.
    __table_args__ = (UniqueConstraint("track_id", "sender", "client_id", name="uq_support_message_sender_client"),
                      NEVER_REUSE_IDS)
