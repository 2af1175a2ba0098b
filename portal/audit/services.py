"""Writing to the audit log (inside the caller's unit of work) and reading it back, newest first."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import aliased

from portal.audit.models import ACTION_MAX, DETAIL_MAX, SUBJECT_TYPE_MAX, AuditEvent
from portal.extensions import db

PAGE_SIZE = 50

# How each action reads on the log page. Unknown actions show as written, so a new one never breaks it.
ACTION_LABELS = {
    "member.joined": "Joined the cohort",
    "member.suspended": "Paused (read-only)",
    "member.removed": "Removed from the cohort",
    "member.active": "Restored as a full member",
    "member.rejoin_allowed": "Allowed to rejoin",
    "member.left": "Left the cohort",
    "facilitator.added": "Made a facilitator",
    "facilitator.removed": "Removed as facilitator",
    "invitation.sent": "Invited to facilitate",
    "invitation.resent": "Invitation sent again",
    "invitation.withdrawn": "Invitation withdrawn",
    "account.deactivated": "Account deactivated",
    "account.reactivated": "Account reactivated",
    "account.two_factor_reset": "Two-factor sign-in reset",
    "agreement.changed": "Ground rules changed (everyone accepts again)",
    "agreement.corrected": "Ground rules corrected (no need to accept again)",
    "agreement.accepted": "Agreement accepted",
    "allocations.rebalanced": "Reviews re-balanced (left, paused or removed)",
    "concern.opened": "Safeguarding concern recorded",
    "concern.action_added": "Safeguarding action recorded",
    "concern.item_linked": "Item linked to a safeguarding concern",
    "concern.closed": "Safeguarding concern closed",
    "concern.reopened": "Safeguarding concern reopened",
    "checkin.sent": "Check-in message sent",
    "safety_words.saved": "Safety-word list saved",
    "safety_words.restored": "Safety-word list restored to the default",
    "erasure.requested": "Asked for their account to be erased",
    "erasure.confirmed": "Account erased (confirmed)",
    "retention.purged": "Cohort content deleted (retention period over)",
    "cohort.opened": "Opened as site administrator, to read members' words",
    "cohort.opening_ended": "Closed their opening as site administrator early",
    "announcement.posted": "Announcement posted to the cohort",
    "announcement.withdrawn": "Announcement withdrawn",
    "agreement.reminded": "Reminded members to accept the group agreement",
}

# How each kind of subject reads on the log page ("Invitation 12"); people show by name instead.
SUBJECT_LABELS = {"users": "Account", "invitations": "Invitation", "agreement_versions": "Agreement version",
                  "concerns": "Safeguarding concern", "safety_phrase_lists": "Safety-word list version",
                  "cohort_openings": "Opening", "announcements": "Announcement"}


def record(actor, action: str, *, subject=None, cohort=None, detail: str | None = None) -> AuditEvent:
    """Add an event to the current unit of work. It does not commit: the calling service does, once."""
    if subject is not None and getattr(subject, "id", None) is None:
        db.session.flush()  # the subject is new: give it its id
    event = AuditEvent(
        actor_id=getattr(actor, "id", None), cohort_id=_id_of(cohort), action=action[:ACTION_MAX],
        subject_type=subject.__tablename__[:SUBJECT_TYPE_MAX] if subject is not None else None,
        subject_id=subject.id if subject is not None else None,
        detail=(detail or "").strip()[:DETAIL_MAX] or None)
    db.session.add(event)
    return event


def _id_of(cohort) -> int | None:
    return cohort if isinstance(cohort, int) or cohort is None else cohort.id


@dataclass(frozen=True)
class EventRow:
    event: AuditEvent
    actor_name: str | None
    cohort_name: str | None
    subject_name: str | None  # for people: their name; other subjects show as type and number

    @property
    def label(self) -> str:
        return ACTION_LABELS.get(self.event.action, self.event.action)

    @property
    def subject_label(self) -> str:
        kind = self.event.subject_type
        return f"{SUBJECT_LABELS.get(kind, kind)} {self.event.subject_id}" if kind else ""


def recent_events(page: int = 1, per_page: int = PAGE_SIZE, cohort_id: int | None = None
                  ) -> tuple[list[EventRow], bool]:
    """One page of events, newest first, with names joined in one query; and whether there are older ones.
    With `cohort_id`, only that cohort's events (its facilitators' page)."""
    from portal.auth.models import User
    from portal.cohorts.models import Cohort

    actor, subject = aliased(User), aliased(User)
    page = max(1, page)
    statement = select(AuditEvent, actor.display_name, Cohort.name, subject.display_name)
    if cohort_id is not None:
        statement = statement.where(AuditEvent.cohort_id == cohort_id)
    rows = db.session.execute(
        statement
        .outerjoin(actor, actor.id == AuditEvent.actor_id)
        .outerjoin(Cohort, Cohort.id == AuditEvent.cohort_id)
        .outerjoin(subject, (AuditEvent.subject_type == User.__tablename__) & (subject.id == AuditEvent.subject_id))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .offset((page - 1) * per_page).limit(per_page + 1)).all()
    return [EventRow(*row) for row in rows[:per_page]], len(rows) > per_page

