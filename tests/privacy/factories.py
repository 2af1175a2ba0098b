"""A person with something in every table the portal keeps about people: for the export and erasure walks.

Every text the person writes carries MARK, so a walk of every column can tell whether any of it remains.
"""
from __future__ import annotations

from datetime import timedelta

from portal import storage
from portal.assignments.models import AssignmentExtension, Marking, Submission
from portal.attendance.models import Attendance
from portal.audit.services import record
from portal.cohorts.models import Membership
from portal.dates import utcnow
from portal.discussions import services as discussions
from portal.discussions.models import Reaction, Thread
from portal.enrolment.models import CsvImport, Invitation
from portal.exercises.feedback_models import ExamplePractice, Feedback, ReviewAllocation
from portal.exercises.response_models import ResponseRevision, SelfCheck
from portal.extensions import db
from portal.journal.services import write_entry
from portal.keep.models import KeptText
from portal.mail import queue_mail
from portal.moderation.flag_models import Flag
from portal.safeguarding import checkins
from tests.assignments.factories import pdf_bytes
from tests.exercises.factories import add_exercise, add_response

MARK = "quokkamarker"


def fill_person(person, other, facilitator, cohort, course, timetable) -> dict:
    """Rows in every exported table for `person` (a learner of `cohort`); `other` is a fellow learner."""
    person.display_name, person.pronouns = "Quinn Wombatson", "they/them"  # unique, so a walk can look for it
    db.session.commit()
    first = discussions.start_thread(person, cohort, None, f"Thread {MARK}", f"Opening {MARK} words", None, None)
    thread = db.session.get(Thread, first.thread_id)
    theirs = discussions.reply(other, thread, "A reply from someone else", None, None, None)
    mine = discussions.reply(person, thread, f"My reply {MARK}", None, None, None)
    discussions.edit_post(person, mine, f"My edited reply {MARK}", None, discussions.version_of(mine))
    db.session.add(Reaction(post_id=theirs.id, user_id=person.id, kind="thanks"))
    discussions.mark_read(person.id, thread, 2)
    discussions.save_draft(person, cohort.id, "thread-new", f"Draft {MARK}", f"Draft body {MARK}", None)
    db.session.add(KeptText(token_hash="0" * 64, user_id=person.id, path="/x", fields={"body": MARK},
                            expires_at=utcnow() + timedelta(days=1)))
    exercise = add_exercise(course, 1, self_check=True)
    exercise.anonymous_reviewers = True
    response = add_response(cohort, exercise, person, f"My response {MARK}")
    response.take_forward = f"Take forward {MARK}"
    db.session.add_all([
        ResponseRevision(response_id=response.id, version=1, body_source=f"Old {MARK}", body_html=f"<p>Old {MARK}</p>",
                         created_at=utcnow()),
        SelfCheck(response_id=response.id, author_id=person.id, answers={"q": MARK}),
    ])
    others = add_response(cohort, add_exercise(course, 1, slug="other-ex"), other, "Someone else's response")
    db.session.add_all([
        Feedback(cohort_id=cohort.id, response_id=others.id, reviewer_id=person.id, what_worked=f"Worked {MARK}",
                 what_worked_html=f"<p>Worked {MARK}</p>", to_consider=f"Consider {MARK}",
                 to_consider_html=f"<p>Consider {MARK}</p>", ratings={}, status="given", given_at=utcnow()),
        Feedback(cohort_id=cohort.id, response_id=response.id, reviewer_id=other.id, what_worked="Anon kind words",
                 what_worked_html="<p>Anon kind words</p>", ratings={}, status="given", given_at=utcnow()),
        ReviewAllocation(cohort_id=cohort.id, exercise_id=others.exercise_id, response_id=others.id,
                         reviewer_id=person.id, author_id=other.id),
        ExamplePractice(cohort_id=cohort.id, exercise_id=exercise.id, user_id=person.id, ratings={},
                        what_worked=f"Practice {MARK}", what_worked_html=f"<p>Practice {MARK}</p>",
                        to_consider="", to_consider_html=""),
        Flag(cohort_id=cohort.id, subject_kind="post", subject_id=theirs.id, flagger_id=person.id,
             author_id=other.id, reason="boundary", note=f"Flag note {MARK}"),
        AssignmentExtension(cohort_id=cohort.id, assignment_slug="essay", user_id=person.id,
                            due_at=utcnow() + timedelta(days=3), granted_by_id=facilitator.id),
        Invitation(cohort_id=cohort.id, email=person.email, display_name=person.display_name, nonce="n1",
                   expires_at=utcnow() + timedelta(days=3), accepted_by_id=person.id, accepted_at=utcnow()),
        CsvImport(cohort_id=cohort.id, created_by_id=person.id, filename="x.csv", rows=[{"name": MARK}]),
    ])
    membership = db.session.query(Membership).filter_by(user_id=person.id, cohort_id=cohort.id).one()
    db.session.add(Attendance(cohort_session_id=timetable(cohort)[0].id, membership_id=membership.id,
                              status="present", recorded_by_id=facilitator.id))
    db.session.commit()
    write_entry(person, cohort, None, f"Journal {MARK}", f"Journal body {MARK}", None)
    key = storage.save(pdf_bytes(f"Essay {MARK}"), "pdf")
    essay = Submission(cohort_id=cohort.id, assignment_slug="essay", user_id=person.id, version=1,
                       text=f"Essay {MARK}", text_sha256="0" * 64, file_key=key, file_type="pdf",
                       file_name="my essay.pdf", file_size=10, file_sha256="0" * 64)
    db.session.add(essay)
    db.session.flush()
    db.session.add(Marking(submission_id=essay.id, marker_id=facilitator.id, feedback="Well done", outcome="Pass",
                           state="released", released_at=utcnow()))
    checkins.send_checkin(facilitator, cohort, person.id, "How are you doing?", None)
    checkins.reply_checkin(person, cohort, f"Check-in reply {MARK}", None)
    record(facilitator, "member.suspended", subject=person, cohort=cohort, detail=f"About {person.display_name}")
    record(person, "member.left", subject=person, cohort=cohort, detail=f"My reason {MARK}")
    queue_mail(person.email, "Hello", f"Dear {person.display_name}")
    from portal.evaluation.models import EvaluationReceipt
    from portal.resources.models import Resource, ResourceOpened
    from tests.evaluation.factories import add_form

    handout = Resource(course_id=course.id, course_session_id=timetable(cohort)[0].course_session_id,
                       cohort_id=cohort.id, kind="link", title="A page", url="https://example.org/",
                       added_by_id=facilitator.id)
    db.session.add(handout)
    db.session.flush()
    db.session.add(ResourceOpened(resource_id=handout.id, cohort_id=cohort.id, user_id=person.id))
    from portal.notifications.models import (CohortFollow, Notification, NotificationEvent,
                                              NotificationPreference, NotificationSettings, ThreadFollow)

    event = NotificationEvent(kind="post", cohort_id=cohort.id, actor_id=other.id, subject_kind="post",
                              subject_id=mine.id, fanned_out_at=utcnow())
    db.session.add(event)
    db.session.flush()
    db.session.add_all([
        Notification(user_id=person.id, event_id=event.id, kind="reply_to_me", cohort_id=cohort.id,
                     actor_id=other.id, subject_kind="post", subject_id=mine.id),
        ThreadFollow(user_id=person.id, thread_id=thread.id), CohortFollow(user_id=person.id, cohort_id=cohort.id),
        NotificationPreference(user_id=person.id, kind="mention", mode="daily"),
        NotificationSettings(user_id=person.id, include_words=True)])
    db.session.add(EvaluationReceipt(cohort_id=cohort.id, form_id=add_form(sessions=(1,)).id, session_number=1,
                                     user_id=person.id))
    from portal.announcements.models import Announcement, AnnouncementDismissal

    notice = Announcement(cohort_id=cohort.id, author_id=facilitator.id, title="Room change", body_source="Room B",
                          body_html="<p>Room B</p>")
    db.session.add(notice)
    db.session.flush()
    db.session.add(AnnouncementDismissal(announcement_id=notice.id, user_id=person.id))
    db.session.commit()
    return {"post": mine, "thread": thread, "response": response, "submission": essay, "file_key": key}
