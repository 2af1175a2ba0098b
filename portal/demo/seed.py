"""Demo data for trying the portal: fixed accounts, two cohorts with timetables. Safe to run again."""
from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path

from sqlalchemy import select

from portal.agreements.models import AgreementAcceptance
from portal.agreements.services import current_version
from portal.attendance.models import Attendance
from portal.auth.models import User
from portal.auth.passwords import hash_password
from portal.auth.services import find_user_by_email
from portal.cohorts.models import Cohort, CohortSession, Membership
from portal.cohorts.services import create_cohort
from portal.course.loader import load_content
from portal.course.models import Course
from portal.dates import local_today, utcnow
from portal.demo.announcements import seed_announcements
from portal.demo.assignments import seed_assignments
from portal.demo.discussions import seed_discussions
from portal.demo.evaluation import seed_evaluations
from portal.demo.exercises import seed_responses
from portal.demo.safeguarding import seed_safeguarding
from portal.demo.flags import seed_flags
from portal.demo.journal import seed_journal
from portal.demo.resources import seed_resources
from portal.demo.held import seed_held_post
from portal.extensions import db

DEMO_PASSWORD = "peer-support-demo"
# Facilitators and the admin sign in with a second step; add this key to any authenticator app to try it.
DEMO_TOTP_SECRET = "COHORTPORTALDEMOTOTPKEY234567ABC"

# (email, display name, pronouns, site admin)
PEOPLE = [
    ("admin@example.org", "Sam Okafor", "they/them", True),
    ("facilitator@example.org", "Priya Nair", "she/her", False),
    ("facilitator2@example.org", "Tom Beaumont", "he/him", False),
    ("learner1@example.org", "Alex Morgan", "they/them", False),
    ("learner2@example.org", "Bea Lindqvist", "she/her", False),
    ("learner3@example.org", "Chidi Eze", "he/him", False),
    ("learner4@example.org", "Dana Kowalski", None, False),
    ("learner5@example.org", "Efe Adeyemi", "she/her", False),
    ("learner6@example.org", "Finn Gallagher", "he/him", False),
    ("learner7@example.org", "Grace Ahmed", "she/her", False),
    ("learner8@example.org", "Harri Jones", None, False),
    ("learner9@example.org", "Isla Mackenzie", "she/her", False),
]

# name, facilitator, learners, sessions already held, where it meets, who has not accepted the agreement
COHORTS = [
    ("Demo cohort A", "facilitator@example.org", [f"learner{i}@example.org" for i in range(1, 7)], 5,
     "Room 2, Wellbeing Centre, 14 Mill Lane", {"learner6@example.org"}),
    ("Demo cohort B", "facilitator2@example.org", [f"learner{i}@example.org" for i in range(7, 10)], 2,
     "Online (the link is in your invitation email)", set()),
]
# Cohort A's attendance for sessions 1-5: everyone present but these.
ABSENCES = {(2, "learner3@example.org"): "apologies", (3, "learner5@example.org"): "absent",
            (4, "learner2@example.org"): "apologies"}


def seed_demo(content_dir: Path) -> dict[str, int]:
    """Create whatever of the demo is missing; never touches anything else."""
    course = db.session.scalars(Course.select_current()).first()
    if course is None:
        load_content(content_dir)
        course = db.session.scalars(Course.select_current()).first()
    users = {email: _user(email, name, pronouns, admin) for email, name, pronouns, admin in PEOPLE}
    created = 0
    for name, facilitator, learners, held, place, not_agreed in COHORTS:
        cohort = db.session.scalars(select(Cohort).where(Cohort.name == name)).first()
        if cohort is None:
            start = local_today() - timedelta(days=7 * (held - 1) + 3)
            cohort = create_cohort(users["admin@example.org"], course, name, start, "running")
            _schedule(cohort, start, place)
            created += 1
        members = {facilitator: _member(cohort, users[facilitator], "facilitator")}
        members.update({email: _member(cohort, users[email], "learner") for email in learners})
        version = current_version(cohort.id)
        for email in members:
            if email not in not_agreed:
                _accept(version.id, users[email].id)
        if name == "Demo cohort A":
            _attendance(cohort, members, held, users[facilitator])
        seed_discussions(cohort, users)
        seed_responses(cohort, users)
        seed_safeguarding(cohort, users)
        seed_flags(cohort, users)
        seed_held_post(cohort, users)  # portal/demo/held.py: one held post in Demo cohort A (issue 13)
        seed_assignments(cohort, users)  # portal/demo/assignments.py: essays, a late one, an extension (issue 14)
        seed_journal(cohort, users)  # portal/demo/journal.py: learner1's journal in Demo cohort A (issue 14)
        seed_resources(cohort, users)  # portal/demo/resources.py: sessions 1-4 of Demo cohort A (issue 17)
        seed_evaluations(cohort, users)  # portal/demo/evaluation.py: session 2's answers in cohort A (issue 17)
        seed_announcements(cohort, users)  # portal/demo/announcements.py: one in Demo cohort A (issue 15)
    db.session.commit()
    return {"people": len(users), "cohorts_created": created}


def _schedule(cohort: Cohort, start: date, place: str) -> None:
    """Weekly on the start's weekday at 6pm: sessions up to `held` are past, so they are open."""
    rows = db.session.execute(CohortSession.select_timetable(cohort.id)).all()
    for entry, session in rows:
        entry.day, entry.start_time = start + timedelta(weeks=session.number - 1), time(18, 0)
        entry.location = place


def _user(email: str, name: str, pronouns: str | None, admin: bool) -> User:
    user = find_user_by_email(email)
    if user is None:
        user = User(email=email, display_name=name, pronouns=pronouns,
                    password_hash=hash_password(DEMO_PASSWORD), is_site_admin=admin)
        if admin or email.startswith("facilitator"):
            user.totp_secret, user.totp_enabled_at = DEMO_TOTP_SECRET, utcnow()
        db.session.add(user)
        db.session.flush()
    return user


def _member(cohort: Cohort, user: User, role: str) -> Membership:
    membership = db.session.scalars(select(Membership).where(
        Membership.cohort_id == cohort.id, Membership.user_id == user.id)).first()
    if membership is None:
        membership = Membership(cohort_id=cohort.id, user_id=user.id, role=role)
        db.session.add(membership)
        db.session.flush()
    return membership


def _accept(version_id: int, user_id: int) -> None:
    if db.session.scalars(select(AgreementAcceptance).where(
            AgreementAcceptance.version_id == version_id, AgreementAcceptance.user_id == user_id)).first() is None:
        db.session.add(AgreementAcceptance(version_id=version_id, user_id=user_id))


def _attendance(cohort: Cohort, members: dict[str, Membership], held: int, recorder: User) -> None:
    rows = db.session.execute(CohortSession.select_timetable(cohort.id)).all()
    for entry, session in rows:
        if session.number > held:
            continue
        for email, membership in members.items():
            if membership.role != "learner":
                continue
            exists = db.session.scalars(select(Attendance).where(
                Attendance.cohort_session_id == entry.id, Attendance.membership_id == membership.id)).first()
            if exists is None:
                db.session.add(Attendance(cohort_session_id=entry.id, membership_id=membership.id,
                                          status=ABSENCES.get((session.number, email), "present"),
                                          recorded_by_id=recorder.id))
