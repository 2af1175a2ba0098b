"""Versioning the group agreement and recording who accepted it."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import func, select

from portal.agreements.diff import DiffLine, diff_text, html_text
from portal.agreements.models import Agreement, AgreementAcceptance, AgreementVersion
from portal.audit.services import record
from portal.cohorts.models import CURRENT_STATUSES, Cohort, Membership
from portal.errors import RuleViolation
from portal.extensions import db
from portal.markdown import render_markdown

CONFIDENTIALITY = "confidentiality"


def current_version(cohort_id: int) -> AgreementVersion | None:
    return db.session.scalars(AgreementVersion.select_current(cohort_id)).first()


def add_version(cohort: Cohort, *, ground_rules: str | None = None, actor=None,
                correction: bool = False) -> AgreementVersion:
    """A new version from the course's confidentiality text and the cohort's ground rules (flushes)."""
    text = db.session.scalars(select(Agreement).where(Agreement.slug == CONFIDENTIALITY)).first()
    if text is None:
        raise RuleViolation("The course's confidentiality agreement has not been loaded yet "
                            "(run `flask content load`).")
    latest = current_version(cohort.id)
    if correction and (latest is None or latest.confidentiality_html != text.body_html):
        raise RuleViolation("The course's confidentiality agreement has changed since members last agreed, "
                            "so everyone needs to read and accept this version.")
    rules = ground_rules if ground_rules is not None else (latest.ground_rules_source if latest else "")
    version = AgreementVersion(
        cohort_id=cohort.id, number=(latest.number + 1) if latest else 1, title=text.title,
        confidentiality_html=text.body_html, ground_rules_source=rules,
        ground_rules_html=render_markdown(rules) if rules.strip() else "",
        created_by_id=getattr(actor, "id", None), is_correction=correction)
    db.session.add(version)
    db.session.flush()
    return version


def update_ground_rules(actor, cohort: Cohort, source: str, *, correction: bool = False) -> AgreementVersion | None:
    """Save the cohort's ground rules as a new version; None when nothing changed.

    A change asks every member to accept again; a small correction (`correction=True`) doesn't, and is
    recorded as one. The person saving has read it, so a member who saves accepts it there and then.
    """
    latest = current_version(cohort.id)
    if latest is not None and latest.ground_rules_source.strip() == source.strip():
        return None
    version = add_version(cohort, ground_rules=source.strip(), actor=actor, correction=correction)
    record(actor, "agreement.corrected" if correction else "agreement.changed", subject=version, cohort=cohort,
           detail=f"Version {version.number}")
    if actor is not None and _is_current_member(actor.id, cohort.id):
        db.session.add(AgreementAcceptance(version_id=version.id, user_id=actor.id))
    db.session.commit()
    return version


def _is_current_member(user_id: int, cohort_id: int) -> bool:
    return db.session.scalar(select(Membership.id).where(
        Membership.user_id == user_id, Membership.cohort_id == cohort_id,
        Membership.status.in_(CURRENT_STATUSES)).limit(1)) is not None


def text_digest(source: str) -> str:
    """A short fingerprint of ground rules text: the save button only saves the text that was previewed."""
    return hashlib.sha256(source.strip().encode()).hexdigest()[:32]


def renew_all_for_new_text() -> int:
    """After the confidentiality text changes: a new version for every cohort not archived (no commit)."""
    count = 0
    for cohort in db.session.scalars(select(Cohort).where(Cohort.status != "archived")):
        version = add_version(cohort)
        record(None, "agreement.changed", subject=version, cohort=cohort,
               detail=f"Version {version.number}: the course's confidentiality agreement changed")
        count += 1
    return count


def accept_agreement(user, cohort: Cohort, version_id: int) -> bool:
    """Record acceptance of the version the person read; if it changed meanwhile, they read again.

    Returns True when this is the first time they accept this cohort's agreement (they are new here).
    """
    latest = current_version(cohort.id)
    if latest is None or latest.id != version_id:
        raise RuleViolation("The agreement changed while you were reading it. Please read the new version.")
    first_time = last_accepted_version(user.id, cohort.id) is None
    exists = db.session.scalars(select(AgreementAcceptance).where(
        AgreementAcceptance.version_id == latest.id, AgreementAcceptance.user_id == user.id)).first()
    if exists is None:  # a second click or a resent form records nothing new
        db.session.add(AgreementAcceptance(version_id=latest.id, user_id=user.id))
        record(user, "agreement.accepted", subject=latest, cohort=cohort, detail=f"Version {latest.number}")
        db.session.commit()
    return first_time


def last_accepted_version(user_id: int, cohort_id: int) -> AgreementVersion | None:
    """The newest version of the cohort's agreement this person accepted, if any."""
    return db.session.scalars(
        select(AgreementVersion).join(AgreementAcceptance, AgreementAcceptance.version_id == AgreementVersion.id)
        .where(AgreementVersion.cohort_id == cohort_id, AgreementAcceptance.user_id == user_id)
        .order_by(AgreementVersion.number.desc()).limit(1)).first()


@dataclass(frozen=True)
class Changes:
    """What changed between two versions, ready to show; both lists empty when nothing did."""

    since: AgreementVersion
    confidentiality: list[DiffLine]
    ground_rules: list[DiffLine]

    def __bool__(self) -> bool:
        return bool(self.confidentiality or self.ground_rules)


def changes_between(old: AgreementVersion, new: AgreementVersion) -> Changes:
    return Changes(old, diff_text(html_text(old.confidentiality_html), html_text(new.confidentiality_html)),
                   diff_text(old.ground_rules_source, new.ground_rules_source))


def select_acceptance_status(cohort_id: int):
    """Current members with when they accepted the agreement in force (None when not yet).

    Accepting the newest version that needs accepting, or any later correction of it, counts.
    """
    from portal.auth.models import User

    accepted = (select(AgreementAcceptance.user_id, func.max(AgreementAcceptance.accepted_at).label("at"))
                .join(AgreementVersion, AgreementVersion.id == AgreementAcceptance.version_id)
                .where(AgreementVersion.cohort_id == cohort_id,
                       AgreementVersion.number >= AgreementVersion.binding_number(cohort_id))
                .group_by(AgreementAcceptance.user_id).subquery())
    return (select(Membership, User, accepted.c.at)
            .join(User, User.id == Membership.user_id)
            .outerjoin(accepted, accepted.c.user_id == Membership.user_id)
            .where(Membership.cohort_id == cohort_id, Membership.status.in_(CURRENT_STATUSES))
            .order_by(accepted.c.at.is_not(None), User.display_name))
