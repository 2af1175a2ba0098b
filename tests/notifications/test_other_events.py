"""Events from other features: moderation alerts (facilitators), a check-in message, an assignment returned."""
from __future__ import annotations

from portal.assignments.models import Submission
from portal.extensions import db as _db
from portal.notifications import fanout
from portal.notifications.events import record
from portal.safeguarding import checkins
from tests.notifications.conftest import mails_to, notes_of


def test_a_check_in_is_listed_for_its_member_only_and_mailed_once(db, client, auth, cohort, learner, peer,
                                                                 facilitator, outsider):
    checkins.send_checkin(facilitator, cohort, learner.id, "How are you doing this week?", "c1")
    fanout.sweep()
    note, = notes_of(db, learner)
    assert note.kind == "checkin_message"
    assert len(mails_to(db, learner)) == 1  # the check-in's own email: not a second one
    assert "How are you" not in mails_to(db, learner)[0].body
    assert notes_of(db, peer) == [] and notes_of(db, outsider) == []
    auth.login(learner)
    page = client.get("/notifications").get_data(as_text=True)
    assert "Your facilitators in Cohort North sent you a message" in page and "How are you" not in page
    assert client.get(f"/notifications/{note.id}").headers["Location"] == f"/cohorts/{cohort.id}/messages"


def test_a_returned_assignment_is_listed_for_its_author_only(db, client, auth, cohort, learner, peer, facilitator):
    essay = Submission(cohort_id=cohort.id, assignment_slug="my-recovery-story", user_id=learner.id, version=1,
                       text="My essay", text_sha256="0" * 64)
    db.session.add(essay)
    db.session.flush()
    record("assignment_returned", cohort.id, facilitator.id, "submission", essay.id)
    _db.session.commit()
    fanout.sweep()
    note, = notes_of(db, learner)
    assert note.kind == "assignment_returned" and note.mailed_at is not None  # its feature mails it
    assert notes_of(db, peer) == [] and mails_to(db, learner) == []
    auth.login(learner)
    assert client.get(f"/notifications/{note.id}").headers["Location"] == (
        f"/cohorts/{cohort.id}/submissions/{essay.id}")
