"""The benchmark's assignment data: one cohort of 30 learners and 2 facilitators with every session open,
the first assignment's due date set (yesterday), and work handed in by 27 learners: text from all of them,
a PDF from every third, a second version from every fifth, 4 handed in late, and one extension."""
from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import insert

from bench.cohort_data import build_cohort
from portal.assignments.content import all_assignments
from portal.assignments.models import AssignmentDue, AssignmentExtension, Submission
from portal.dates import utcnow
from portal.extensions import db

LEARNERS, HANDED_IN, LATE = 30, 27, 4


def build_assignments(admin, course, hashed: str, bodies: list[str]) -> dict:
    now = utcnow()
    cohort = build_cohort(admin, course, "Bench assignments cohort", "as", "Assignment", LEARNERS, hashed)
    learners, facilitators = cohort.learners, cohort.facilitators
    slug = all_assignments()[0].slug
    due = now - timedelta(days=1)
    db.session.add(AssignmentDue(cohort_id=cohort.id, assignment_slug=slug, due_at=due, set_by_id=facilitators[0]))
    # The last learner (no work yet) has more time: the upload is measured as theirs.
    db.session.add(AssignmentExtension(cohort_id=cohort.id, assignment_slug=slug, user_id=learners[-1],
                                       due_at=now + timedelta(days=7), granted_by_id=facilitators[0]))
    rows = []
    for n, uid in enumerate(learners[:HANDED_IN]):
        late = n >= HANDED_IN - LATE
        for v in range(1, 3 if n % 5 == 0 else 2):
            text = " ".join([bodies[(n + v) % len(bodies)]] * 20)
            rows.append({"cohort_id": cohort.id, "assignment_slug": slug, "user_id": uid, "version": v,
                         "text": text, "word_count": len(text.split()), "is_late": late,
                         "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
                         "submitted_at": due + timedelta(hours=5 if late else -(v + n)),
                         **({"file_key": f"bench-{n}-{v}", "file_name": f"essay-{n}.pdf", "file_type": "pdf",
                             "file_size": 200_000 + n, "file_sha256": "0" * 64} if n % 3 == 0 else {})})
    db.session.execute(insert(Submission), rows)
    db.session.commit()
    return {"assignment_cohort": cohort.id, "assignment_slug": slug, "assignment_learners": learners,
            "assignment_facilitators": facilitators}
