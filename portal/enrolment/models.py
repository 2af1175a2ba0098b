"""Ways into a cohort: emailed invitations, shared invite links, and CSV imports awaiting confirmation."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.auth.models import EMAIL_MAX, NAME_MAX
from portal.cohorts.models import ROLES, one_of
from portal.dates import UTCDateTime, utcnow
from portal.extensions import db


class Invitation(db.Model):
    """An invitation emailed to one address. The emailed link is signed and names this row."""

    __tablename__ = "invitations"
    __table_args__ = (one_of("role", ROLES, "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(EMAIL_MAX))
    display_name: Mapped[str | None] = mapped_column(String(NAME_MAX))
    role: Mapped[str] = mapped_column(String(20), default="learner")
    # Changed when the invitation is re-sent, so only the newest emailed link works.
    nonce: Mapped[str] = mapped_column(String(32))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # "link" when the person joined with an invite link instead, which closed this invitation.
    accepted_via: Mapped[str | None] = mapped_column(String(20))
    # The last time it was sent again (the first sending is created_at).
    resent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class InviteLink(db.Model):
    """A link a facilitator can share: it expires, has a maximum number of uses and can be revoked."""

    __tablename__ = "invite_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    max_uses: Mapped[int] = mapped_column(Integer)
    uses: Mapped[int] = mapped_column(Integer, default=0)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CsvImport(db.Model):
    """An uploaded CSV, checked and previewed; nothing is invited until a facilitator confirms it."""

    __tablename__ = "csv_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(255))
    # [{"line": 2, "name": "…", "email": "…", "problem": null | "…"}, …]
    rows: Mapped[list[dict]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
