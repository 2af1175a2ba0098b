"""One bench cohort and its people, as the exercise, assignment and dashboard data need it: a running cohort,
learners and 2 facilitators (with two-factor sign-in, as facilitators have), everyone a member who has
accepted the agreement, and every session open (its start 30 days ago)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import insert, select

from portal.agreements.models import AgreementAcceptance, AgreementVersion
from portal.auth.models import User
from portal.cohorts.models import CohortSession, Membership
from portal.cohorts.services import create_cohort
from portal.dates import utcnow
from portal.extensions import db

FACILITATORS = 2


@dataclass(frozen=True)
class BenchCohort:
    id: int
    learners: list[int]  # user ids, in the order they were made
    facilitators: list[int]


def build_cohort(admin, course, name: str, prefix: str, label: str, learners: int, hashed: str) -> BenchCohort:
    """`prefix` makes the addresses (`ex-learner0@example.org`, `ex-fac0@…`), `label` the names ("Exercise
    learner 00", "Exercise facilitator 0"). Flushed, not committed."""
    now = utcnow()
    cohort = create_cohort(admin, course, name, None, "running")
    people = [{"email": f"{prefix}-learner{n}@example.org", "display_name": f"{label} learner {n:02d}",
               "password_hash": hashed, "session_version": 1, "reset_stamp": "x", "is_site_admin": False,
               "active": True, "created_at": now, "updated_at": now} for n in range(learners)]
    people += [{**people[0], "email": f"{prefix}-fac{n}@example.org", "display_name": f"{label} facilitator {n}",
                "totp_secret": admin.totp_secret, "totp_enabled_at": now} for n in range(FACILITATORS)]
    db.session.execute(insert(User), people)
    ids = db.session.execute(select(User.id, User.email).where(User.email.like(f"{prefix}-%"))
                             .order_by(User.id)).all()
    learner_ids = [uid for uid, email in ids if "learner" in email]
    facilitator_ids = [uid for uid, email in ids if "-fac" in email]
    version = db.session.scalars(AgreementVersion.select_current(cohort.id)).one()
    db.session.execute(insert(Membership), [
        {"cohort_id": cohort.id, "user_id": uid, "role": "facilitator" if uid in facilitator_ids else "learner",
         "status": "active", "created_at": now} for uid, _ in ids])
    db.session.execute(insert(AgreementAcceptance), [
        {"version_id": version.id, "user_id": uid, "accepted_at": now} for uid, _ in ids])
    for entry in db.session.scalars(select(CohortSession).where(CohortSession.cohort_id == cohort.id)):
        entry.starts_at = now - timedelta(days=30)  # every session open, every due date passed
    db.session.flush()
    return BenchCohort(cohort.id, learner_ids, facilitator_ids)


def learner_places(cohort_id: int) -> dict[int, int]:
    """User id -> membership id of the cohort's learners."""
    return dict(db.session.execute(select(Membership.user_id, Membership.id).where(
        Membership.cohort_id == cohort_id, Membership.role == "learner")).all())
