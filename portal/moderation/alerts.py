"""Calling a cohort's facilitators: an alert row and an email each, in the caller's transaction.

A cohort with no active facilitator (all left or paused, or none appointed yet) would call nobody: then the
site administrators are emailed instead, and the site-wide moderation page marks the cohort (``across.py``).
Those emails hold no member's words either, and link to that page, not the cohort: site administrators open
a cohort as site administrator to read it (portal/cohorts/openings.py)."""
from __future__ import annotations

from sqlalchemy import select

from portal.audit.services import record
from portal.auth.models import User
from portal.cohorts.models import Cohort, Membership
from portal.dates import utcnow
from portal.extensions import db
from portal.links import external_url
from portal.mail import queue_mail
from portal.moderation.models import ModerationAlert

_SUBJECTS = {
    "safety_words": "Someone in {cohort} may need support: a post is waiting for you",
    "safety_flag": "A member of {cohort} is worried about someone's safety",
    "pre_moderation": "A post in {cohort} is waiting for you to look at it",
    "flag_threshold": "Something in {cohort} has been hidden after several flags",
}


def facilitated_sql(cohort_id):
    """SQL: the cohort (an id, or a column such as Cohort.id) has at least one active facilitator who can
    sign in. Shared by the alerts, the site-wide moderation page and the cohorts list."""
    return (select(Membership.id).join(User, User.id == Membership.user_id)
            .where(Membership.cohort_id == cohort_id, Membership.role == "facilitator",
                   Membership.status == "active", User.active.is_(True))
            .correlate_except(Membership, User).exists())


def _site_admin_addresses() -> list[str]:
    return db.session.scalars(select(User.email).where(User.is_site_admin.is_(True), User.active.is_(True))
                              .order_by(User.id)).all()


def raise_alert(cohort_id: int, reason: str, subject_kind: str, subject_id: int, *,
                author_id: int | None = None, raised_by_id: int | None = None) -> ModerationAlert:
    """Add the alert and queue one email per active facilitator; the caller commits both with its change.

    Emails say only that something is waiting and link to the queue: the words stay in the portal."""
    alert = ModerationAlert(cohort_id=cohort_id, reason=reason, subject_kind=subject_kind, subject_id=subject_id,
                            author_id=author_id, raised_by_id=raised_by_id)
    db.session.add(alert)
    cohort_name = db.session.scalar(select(Cohort.name).where(Cohort.id == cohort_id))
    # In the portal's notification list too (not mailed again: the emails below are those). No actor: a
    # flagger is never named.
    from portal.notifications.events import record as notify

    notify("alert", cohort_id, None, "alert", alert.id)
    addresses = db.session.scalars(
        select(User.email).join(Membership, Membership.user_id == User.id)
        .where(Membership.cohort_id == cohort_id, Membership.role == "facilitator",
               Membership.status == "active", User.active.is_(True))).all()
    link = external_url("moderation.queue", cohort_id=cohort_id)
    subject = _SUBJECTS[reason].format(cohort=cohort_name)
    body = (f"{subject}.\n\nPlease look when you can: {link}\n\n"
            "This email holds no names or words from the portal. Sign in to see them.\n")
    if not addresses:  # nobody would be told: the site administrators are, at once
        addresses = _site_admin_addresses()
        link = external_url("moderation.admin_queue")
        body = (f"{subject}.\n\n{cohort_name} has no active facilitator at the moment, so this comes to you as "
                f"a site administrator. The site-wide moderation page shows what is waiting: {link}\n"
                "Open the cohort as site administrator there to read it, and please add a facilitator.\n\n"
                "This email holds no names or words from the portal. Sign in to see them.\n")
        subject = f"No facilitator in {cohort_name}: {subject[0].lower()}{subject[1:]}"
        record(None, "alert.to_site_admins", cohort=cohort_id,
               detail=f"No active facilitator: {len(addresses)} site administrator(s) emailed ({reason}).")
    for address in addresses:
        queue_mail(address, subject, body)
    return alert


def handle_alerts(cohort_id: int, subject_kind: str, subject_id: int, handled_by_id: int) -> int:
    """Mark every open alert about one item handled (the caller commits); returns how many."""
    alerts = db.session.scalars(select(ModerationAlert).where(
        ModerationAlert.cohort_id == cohort_id, ModerationAlert.subject_kind == subject_kind,
        ModerationAlert.subject_id == subject_id, ModerationAlert.handled_at.is_(None))).all()
    for alert in alerts:
        alert.handled_at, alert.handled_by_id = utcnow(), handled_by_id
    return len(alerts)
