"""Held content: the columns a post, an exercise response and a piece of feedback share when the portal
holds them for a facilitator (safety words, or a pre-moderated session). Held means only the author and
the cohort's facilitators (and site admins) see it, until a facilitator releases it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, and_
from sqlalchemy.orm import Mapped, mapped_column

from portal.dates import UTCDateTime

HELD_REASONS = ("safety_words", "pre_moderation")
# The author's choice while it is held: share it once a facilitator has looked, or keep it for them only.
HELD_CHOICES = ("share", "facilitators")


class HeldMixin:
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    held_reason: Mapped[str | None] = mapped_column(String(20))
    held_choice: Mapped[str | None] = mapped_column(String(20))
    # A facilitator has looked and kept it for the facilitators (and reaches out to the author).
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    @property
    def is_held(self) -> bool:
        return self.held_at is not None and self.released_at is None


def is_held_sql(model):
    """SQL: the row is held (not yet released)."""
    return and_(model.held_at.is_not(None), model.released_at.is_(None))


def not_held_sql(model):
    """SQL: the row is not held, or has been released."""
    return ~is_held_sql(model)
