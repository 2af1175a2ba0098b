"""Demo data for trying the portal: fixed accounts and two cohorts. Safe to run again."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from portal.auth.models import User
from portal.auth.passwords import hash_password
from portal.auth.services import find_user_by_email
from portal.cohorts.models import Cohort, Membership
from portal.course.loader import load_content
from portal.course.models import Course
from portal.extensions import db

DEMO_PASSWORD = "peer-support-demo"

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

# cohort name, start date, status, facilitator, learners
COHORTS = [
    ("Demo cohort A", date(2026, 10, 6), "running", "facilitator@example.org",
     [f"learner{i}@example.org" for i in range(1, 7)]),
    ("Demo cohort B", date(2026, 11, 10), "running", "facilitator2@example.org",
     [f"learner{i}@example.org" for i in range(7, 10)]),
]


def seed_demo(content_dir: Path) -> dict[str, int]:
    """Create whatever of the demo is missing; never touches anything else."""
    course = db.session.scalars(select(Course).order_by(Course.id)).first()
    if course is None:
        load_content(content_dir)
        course = db.session.scalars(select(Course).order_by(Course.id)).first()
    users = {email: _user(email, name, pronouns, admin) for email, name, pronouns, admin in PEOPLE}
    created_cohorts = 0
    for name, start, status, facilitator, learners in COHORTS:
        cohort = db.session.scalars(select(Cohort).where(Cohort.name == name)).first()
        if cohort is None:
            cohort = Cohort(name=name, course_id=course.id, start_date=start, status=status)
            db.session.add(cohort)
            db.session.flush()
            created_cohorts += 1
        _member(cohort, users[facilitator], "facilitator")
        for email in learners:
            _member(cohort, users[email], "learner")
    db.session.commit()
    return {"people": len(users), "cohorts_created": created_cohorts}


def _user(email: str, name: str, pronouns: str | None, admin: bool) -> User:
    user = find_user_by_email(email)
    if user is None:
        user = User(email=email, display_name=name, pronouns=pronouns,
                    password_hash=hash_password(DEMO_PASSWORD), is_site_admin=admin)
        db.session.add(user)
        db.session.flush()
    return user


def _member(cohort: Cohort, user: User, role: str) -> None:
    exists = db.session.scalars(select(Membership).where(
        Membership.cohort_id == cohort.id, Membership.user_id == user.id)).first()
    if exists is None:
        db.session.add(Membership(cohort_id=cohort.id, user_id=user.id, role=role))
