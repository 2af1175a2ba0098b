"""Demo journal in cohort A: a few of learner1's private entries, one shared with a facilitator's reply."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.auth.models import User
from portal.cohorts.models import Cohort
from portal.course.models import CourseSession
from portal.dates import utcnow
from portal.extensions import db
from portal.journal.models import JournalEntry
from portal.journal.services import write_entry
from portal.journal.sharing import reply_to_entry, share_entry

ENTRIES = [
    (1, "Before we started", "## What I felt\n\nNervous about saying too much on the first day.\n\n"
                             "## What I would do next time\n\nTrust that I can share at my own pace.", 12),
    (2, "Hearing other stories", "## What happened\n\nSomeone's story sounded a lot like mine.\n\n"
                                 "## What I make of it\n\nI'm not the only one who found that year hard.", 8),
    (None, None, "A quiet week. I went for a walk each morning and it helped more than I expected.", 3),
]


def seed_journal(cohort: Cohort, users: dict[str, User]) -> int:
    """Once, in Demo cohort A only: learner1's entries; the second one shared and replied to."""
    learner, facilitator = users.get("learner1@example.org"), users.get("facilitator@example.org")
    if cohort.name != "Demo cohort A" or learner is None or facilitator is None or db.session.scalar(
            select(JournalEntry.id).where(JournalEntry.cohort_id == cohort.id).limit(1)) is not None:
        return 0
    sessions = {s.number: s.id for s in db.session.scalars(
        select(CourseSession).where(CourseSession.course_id == cohort.course_id))}
    added = []
    for number, title, body, days in ENTRIES:
        entry = write_entry(learner, cohort, sessions.get(number), title, body, f"demo-journal-{days}")
        entry.created_at = entry.updated_at = utcnow() - timedelta(days=days)
        added.append(entry)
    db.session.commit()
    shared = share_entry(learner, cohort, added[1].id)
    reply_to_entry(facilitator, cohort, shared.id, "Thank you for sharing this. Noticing that you're not alone "
                                                   "is a big part of what peer support is about.")
    return len(added)
