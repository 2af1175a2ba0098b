"""Versioning the group agreement and recording who accepted it."""
from __future__ import annotations

from sqlalchemy import and_, select

from portal.agreements.models import Agreement, AgreementAcceptance, AgreementVersion
from portal.cohorts.models import Cohort, Membership
from portal.errors import RuleViolation
from portal.extensions import db
from portal.markdown import render_markdown

CONFIDENTIALITY = "confidentiality"


def current_version(cohort_id: int) -> AgreementVersion | None:
    return db.session.scalars(AgreementVersion.select_current(cohort_id)).first()


def add_version(cohort: Cohort, *, ground_rules: str | None = None, actor=None) -> AgreementVersion:
    """A new version from the course's confidentiality text and the cohort's ground rules (flushes)."""
    text = db.session.scalars(select(Agreement).where(Agreement.slug == CONFIDENTIALITY)).first()
    if text is None:
        raise RuleViolation("The course's confidentiality agreement has not been loaded yet "
                            "(run `flask content load`).")
    latest = current_version(cohort.id)
    rules = ground_rules if ground_rules is not None else (latest.ground_rules_source if latest else "")
    version = AgreementVersion(
        cohort_id=cohort.id, number=(latest.number + 1) if latest else 1, title=text.title,
        confidentiality_html=text.body_html, ground_rules_source=rules,
        ground_rules_html=render_markdown(rules) if rules.strip() else "",
        created_by_id=getattr(actor, "id", None))
    db.session.add(version)
    db.session.flush()
    return version


def update_ground_rules(actor, cohort: Cohort, source: str) -> AgreementVersion | None:
    """Save the cohort's ground rules; a change makes a new version everyone accepts again."""
    latest = current_version(cohort.id)
    if latest is not None and latest.ground_rules_source.strip() == source.strip():
        return None
    version = add_version(cohort, ground_rules=source.strip(), actor=actor)
    db.session.commit()
    return version


def renew_all_for_new_text() -> int:
    """After the confidentiality text changes: a new version for every cohort not archived (no commit)."""
    count = 0
    for cohort in db.session.scalars(select(Cohort).where(Cohort.status != "archived")):
        add_version(cohort)
        count += 1
    return count


def accept_agreement(user, cohort: Cohort, version_id: int) -> None:
    """Record acceptance of the version the person read; if it changed meanwhile, they read again."""
    latest = current_version(cohort.id)
    if latest is None or latest.id != version_id:
        raise RuleViolation("The agreement changed while you were reading it. Please read the new version.")
    exists = db.session.scalars(select(AgreementAcceptance).where(
        AgreementAcceptance.version_id == latest.id, AgreementAcceptance.user_id == user.id)).first()
    if exists is None:  # a second click or a resent form records nothing new
        db.session.add(AgreementAcceptance(version_id=latest.id, user_id=user.id))
        db.session.commit()


def select_acceptance_status(cohort_id: int, version_id: int):
    """Current members with their acceptance of the given version (None when not yet accepted)."""
    from portal.auth.models import User
    from portal.cohorts.models import CURRENT_STATUSES

    return (select(Membership, User, AgreementAcceptance)
            .join(User, User.id == Membership.user_id)
            .outerjoin(AgreementAcceptance, and_(AgreementAcceptance.user_id == Membership.user_id,
                                                 AgreementAcceptance.version_id == version_id))
            .where(Membership.cohort_id == cohort_id, Membership.status.in_(CURRENT_STATUSES))
            .order_by(AgreementAcceptance.id.is_not(None), User.display_name))
