"""Demo assignments: in Demo cohort A, the reflective essay with a due date, one essay handed in on time with
its feedback released, one handed in late, and one extension. Written straight to the tables, dated in the
past, without emails or files: the demo sends nobody anything."""
from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import select

from portal.assignments.models import AssignmentDue, AssignmentExtension, Marking, Submission
from portal.audit.services import record
from portal.auth.models import User
from portal.cohorts.models import Cohort
from portal.dates import utcnow
from portal.extensions import db

COHORT, FACILITATOR, SLUG = "Demo cohort A", "facilitator@example.org", "my-recovery-story"
ON_TIME, LATE, EXTENDED = "learner1@example.org", "learner2@example.org", "learner3@example.org"
ESSAY = ("When I first heard the word recovery, I thought it meant going back to who I was before. Over these "
         "weeks I have come to see it as building a life that has meaning for me now, with the ups and downs.\n\n"
         "Hope came first from other people: a support worker who had been through something similar. That is "
         "what peer support means to me, and why I want to offer it.")
LATE_ESSAY = ("I nearly didn't write this. My recovery story is not tidy, and putting it into words took longer "
              "than I expected. What I have learned is that choice and connection mattered more than any plan.")
FEEDBACK = ("Thank you for sharing this so openly. You link your own experience to hope and to mutuality "
            "clearly, and the last part shows how you would use it with purpose in a peer role.\n\n"
            "For the final assignment, you might say a little more about boundaries.")


def seed_assignments(cohort: Cohort, users: dict[str, User]) -> None:
    """Demo cohort A only, once: nothing is added if it has a due date for the essay already."""
    if cohort.name != COHORT or db.session.scalar(select(AssignmentDue.id).where(
            AssignmentDue.cohort_id == cohort.id, AssignmentDue.assignment_slug == SLUG)) is not None:
        return
    now, facilitator = utcnow(), users[FACILITATOR]
    db.session.add(AssignmentDue(cohort_id=cohort.id, assignment_slug=SLUG, due_at=now - timedelta(days=2),
                                 set_by_id=facilitator.id))
    db.session.add(AssignmentExtension(cohort_id=cohort.id, assignment_slug=SLUG, user_id=users[EXTENDED].id,
                                       due_at=now + timedelta(days=7), granted_by_id=facilitator.id))
    on_time = _essay(cohort, users[ON_TIME], ESSAY, now - timedelta(days=4), late=False)
    _essay(cohort, users[LATE], LATE_ESSAY, now - timedelta(days=1), late=True)
    db.session.add(Marking(submission_id=on_time.id, marker_id=facilitator.id, feedback=FEEDBACK,
                           outcome="meets the criteria", state="released", released_at=now - timedelta(days=1)))
    record(facilitator, "assignment feedback released", subject=on_time, cohort=cohort)


def _essay(cohort: Cohort, user: User, text: str, at, *, late: bool) -> Submission:
    row = Submission(cohort_id=cohort.id, assignment_slug=SLUG, user_id=user.id, version=1, text=text,
                     word_count=len(text.split()), text_sha256=hashlib.sha256(text.encode()).hexdigest(),
                     is_late=late, submitted_at=at)
    db.session.add(row)
    db.session.flush()
    return row
