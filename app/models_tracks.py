"""Individual online work (issue 5): one girl's personal track through modules 0–5 with her coach.

A track is the individual counterpart of a run: the girl goes at her own pace, the coach opens modules,
follows her answers and writes short support messages. Deleting a track deletes everything in it
(answers, messages, signals), which is what retention relies on.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db
from .models import NEVER_REUSE_IDS, Squad, utcnow


class Track(db.Model):
    """One girl's track. Only hashes of her token and of the pending invitation are kept."""

    id: Mapped[int] = mapped_column(primary_key=True)
    squad_id: Mapped[int] = mapped_column(ForeignKey("squad.id"), index=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)  # public name in URLs, not a secret
    pseudonym: Mapped[str | None] = mapped_column(String(24))
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    invite_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    open_modules: Mapped[list] = mapped_column(JSON, default=list)
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    joined_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_activity_at: Mapped[datetime | None] = mapped_column(DateTime)  # retention counts from here

    squad: Mapped[Squad] = relationship()
    answers: Mapped[list[TrackAnswer]] = relationship(
        back_populates="track", cascade="all, delete-orphan", order_by="TrackAnswer.created_at")
    messages: Mapped[list[SupportMessage]] = relationship(
        back_populates="track", cascade="all, delete-orphan", order_by="SupportMessage.id")
    signals: Mapped[list[TrackSignal]] = relationship(
        back_populates="track", cascade="all, delete-orphan", order_by="TrackSignal.id")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = NEVER_REUSE_IDS

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class TrackAnswer(db.Model):
    """Her answer to one item of her track; final once given (the blogger's info follows at once)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    track_id: Mapped[int] = mapped_column(ForeignKey("track.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str] = mapped_column(String(40))
    value: Mapped[dict] = mapped_column(JSON)
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)
    client_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    track: Mapped[Track] = relationship(back_populates="answers")

    __table_args__ = (UniqueConstraint("track_id", "item_id"), NEVER_REUSE_IDS)


class SupportMessage(db.Model):
    """A short message between coach and girl inside one track (sender 'coach' or 'girl')."""

    id: Mapped[int] = mapped_column(primary_key=True)
    track_id: Mapped[int] = mapped_column(ForeignKey("track.id", ondelete="CASCADE"), index=True)
    sender: Mapped[str] = mapped_column(String(8))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("facilitator.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    client_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    track: Mapped[Track] = relationship(back_populates="messages")

    # Coach and girl each make their own client ids: one namespace per sender, so neither drops the other's message.
    __table_args__ = (UniqueConstraint("track_id", "sender", "client_id", name="uq_support_message_sender_client"),
                      NEVER_REUSE_IDS)


class TrackSignal(db.Model):
    """Her private "I want to talk" to the coach of the track; highlighted until acknowledged."""

    id: Mapped[int] = mapped_column(primary_key=True)
    track_id: Mapped[int] = mapped_column(ForeignKey("track.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="talk")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime)

    track: Mapped[Track] = relationship(back_populates="signals")

    __table_args__ = NEVER_REUSE_IDS
