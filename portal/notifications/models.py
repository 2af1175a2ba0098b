"""Notification events (the outbox), one notification per recipient, following, and email preferences."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.cohorts.models import one_of
from portal.dates import UTCDateTime, utcnow
from portal.extensions import db

MODES = ("now", "daily", "weekly", "off")


class NotificationEvent(db.Model):
    """Something happened: written in the same transaction as the change it reports. The fan-out task turns
    it into notifications; the periodic sweep redoes events no task handled (the queue may have been down)."""

    __tablename__ = "notification_events"
    __table_args__ = (Index("ix_notification_events_waiting", "fanned_out_at", "id"),
                      Index("ix_notification_events_subject", "kind", "subject_kind", "subject_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    subject_kind: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    fanned_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Notification(db.Model):
    """One person's notice of one event. Whether they may still see its subject is checked on every use."""

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("user_id", "event_id"),  # a fan-out run twice adds nobody twice
                      Index("ix_notifications_user", "user_id", "read_at", "id"),
                      Index("ix_notifications_digest", "mailed_at", "user_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(ForeignKey("notification_events.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    subject_kind: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when it went by email (at once or in a digest) or will never go (off, no longer visible).
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ThreadFollow(db.Model):
    """Following a thread. `following` False remembers an unfollow, so replying again doesn't re-follow."""

    __tablename__ = "thread_follows"
    __table_args__ = (Index("ix_thread_follows_thread", "thread_id", "following"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True)
    following: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CohortFollow(db.Model):
    """A facilitator follows every thread of a cohort."""

    __tablename__ = "cohort_follows"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NotificationPreference(db.Model):
    """How one person wants one kind by email. No row: the kind's default."""

    __tablename__ = "notification_preferences"
    __table_args__ = (one_of("mode", MODES, "mode"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    mode: Mapped[str] = mapped_column(String(10))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class NotificationSettings(db.Model):
    """Per person: whether emails may carry the words members wrote (off unless they opt in)."""

    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    include_words: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class UnsubscribeUse(db.Model):
    """An unsubscribe link that has been used (each email's link carries its own nonce)."""

    __tablename__ = "unsubscribe_uses"

    nonce: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    used_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
