"""Demo moderation in cohort A: one open flag waiting in the queue, and a few past actions in the log."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.audit.services import record
from portal.auth.models import User
from portal.cohorts.models import Cohort
from portal.dates import utcnow
from portal.discussions.models import Post
from portal.extensions import db
from portal.moderation.flag_models import Flag


def seed_flags(cohort: Cohort, users: dict[str, User]) -> int:
    """Add the demo's flags and past actions once, to cohort A only (nothing if it has flags already)."""
    if cohort.name != "Demo cohort A" or db.session.scalar(select(Flag.id).where(Flag.cohort_id == cohort.id).limit(1)) is not None:
        return 0
    facilitator, flagger = users["facilitator@example.org"], users["learner2@example.org"]
    posts = db.session.scalars(select(Post).where(
        Post.cohort_id == cohort.id, Post.author_id.in_([users["learner3@example.org"].id,
                                                         users["learner4@example.org"].id]),
        Post.withdrawn_at.is_(None)).order_by(Post.created_at)).all()
    if len(posts) < 2:
        return 0
    earlier, recent = posts[0], posts[-1]
    now = utcnow()
    # Past: a flag on an earlier post, dismissed after a facilitator looked, and a hide that was undone.
    db.session.add(Flag(cohort_id=cohort.id, subject_kind="post", subject_id=earlier.id, flagger_id=flagger.id,
                        author_id=earlier.author_id, reason="boundary", created_at=now - timedelta(days=9),
                        resolved_at=now - timedelta(days=8), resolved_by_id=facilitator.id, outcome="dismissed"))
    past = [("flag.dismissed", earlier, "1 flag on a post dismissed: it was fine on a second reading", 8),
            ("item.hidden", earlier, "post hidden: a surname of someone outside the group, until it is edited", 7),
            ("item.restored", earlier, "post shown again after its author took the name out", 6)]
    for action, subject, detail, days in past:
        event = record(facilitator, action, subject=subject, cohort=cohort, detail=detail)
        event.at = now - timedelta(days=days)
    # Open now: a member worried that a post shares something confidential.
    db.session.add(Flag(cohort_id=cohort.id, subject_kind="post", subject_id=recent.id,
                        flagger_id=users["learner5@example.org"].id, author_id=recent.author_id,
                        reason="confidential", note="I think this names someone from their workplace.",
                        created_at=now - timedelta(hours=5)))
    db.session.flush()
    return 2
