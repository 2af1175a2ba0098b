"""The confidentiality agreement and each cohort's ground rules, versioned, and who accepted which."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, aliased, mapped_column

from portal.dates import UTCDateTime, utcnow
from portal.extensions import db

GROUND_RULES_MAX = 10_000


class Agreement(db.Model):
    """An agreement text from content/agreements/ (the course's confidentiality agreement)."""

    __tablename__ = "agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class AgreementVersion(db.Model):
    """What a cohort's members agree to: a snapshot of both texts. Any change makes a new version."""

    __tablename__ = "agreement_versions"
    __table_args__ = (UniqueConstraint("cohort_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    confidentiality_html: Mapped[str] = mapped_column(Text)
    ground_rules_source: Mapped[str] = mapped_column(Text, default="")
    ground_rules_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # A small correction (a typo): members' acceptance of the version before still counts.
    is_correction: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    @staticmethod
    def select_current(cohort_id: int):
        return (select(AgreementVersion).where(AgreementVersion.cohort_id == cohort_id)
                .order_by(AgreementVersion.number.desc()).limit(1))

    @staticmethod
    def latest_number(cohort_id: int):
        return (select(func.max(AgreementVersion.number))
                .where(AgreementVersion.cohort_id == cohort_id).scalar_subquery())

    @staticmethod
    def binding_number(cohort_id):
        """The number of the newest version that members must accept: corrections after it don't count.

        Accepting it, or any later version, means the member has agreed to what is in force now.
        """
        inner = aliased(AgreementVersion)  # never correlated with an AgreementVersion of the outer query
        return (select(func.max(inner.number)).where(inner.cohort_id == cohort_id, inner.is_correction.is_(False))
                .scalar_subquery())


class AgreementAcceptance(db.Model):
    __tablename__ = "agreement_acceptances"
    __table_args__ = (UniqueConstraint("version_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("agreement_versions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
