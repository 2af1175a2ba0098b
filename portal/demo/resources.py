"""Demo session resources in Demo cohort A: the course's own come from content/; the facilitator adds a link or a
handout to each of sessions 1-4, and learner1 has opened a few (so the rest show as new to them)."""
from __future__ import annotations

import io

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from portal.auth.models import User
from portal.cohorts.models import Cohort
from portal.extensions import db
from portal.resources.models import Resource, ResourceOpened
from portal.resources.pdf import simple_pdf
from portal.resources.services import add_resource

COHORT, FACILITATOR, LEARNER = "Demo cohort A", "facilitator@example.org", "learner1@example.org"
ROOM = [(True, 16, "Finding Room 2 at the Wellbeing Centre"), (False, 11, ""),
        (False, 11, "Come in by the main door on Mill Lane; Room 2 is on the ground floor, second on the left."),
        (False, 11, "There is step-free access and a quiet room next door if you need a break."),
        (False, 11, "Tea and water are in the kitchen. We start at 6pm and finish by 8pm.")]
WEEK_TWO = [(True, 16, "Session 2: notes from our group"), (False, 11, ""),
            (False, 11, "What we said recovery means: hope, having a say, being more than a diagnosis."),
            (False, 11, "Things that helped: people who listened, routines, being outdoors, creative things."),
            (False, 11, "Things that got in the way: waiting lists, not being believed, feeling alone.")]
# (session, title, description, link or None, (file name, PDF lines) or None)
ITEMS = [
    (1, "Finding our room", "How to find Room 2, step-free access and where the quiet room is.", None,
     ("finding-room-2.pdf", ROOM)),
    (2, "Our session 2 notes", "What the group came up with about recovery, written up after the session.", None,
     ("session-2-notes.pdf", WEEK_TWO)),
    (3, "Recovery stories from people with lived experience", "Mind shares personal stories (look under "
     "information and support); some are hard to read, so go at your own pace.", "https://www.mind.org.uk/", None),
    (4, "Peer support in the NHS", "A plain introduction to peer support workers and what they do.",
     "https://www.nhs.uk/", None),
]


def seed_resources(cohort: Cohort, users: dict[str, User]) -> None:
    """Once, in Demo cohort A only: nothing is added if the cohort has resources of its own already."""
    facilitator, learner = users.get(FACILITATOR), users.get(LEARNER)
    if cohort.name != COHORT or facilitator is None or db.session.scalar(
            select(Resource.id).where(Resource.cohort_id == cohort.id).limit(1)) is not None:
        return
    for number, title, description, link, document in ITEMS:
        upload = None
        if document is not None:
            name, lines = document
            upload = FileStorage(stream=io.BytesIO(simple_pdf(title, lines)), filename=name)
        add_resource(facilitator, cohort, number, title, description, link, upload, f"demo-{number}")
    if learner is None:
        return
    opened = db.session.scalars(select(Resource).where(
        Resource.cohort_id.is_(None) | (Resource.cohort_id == cohort.id), Resource.title.in_(
            ["The course at a glance", "Getting started together", "Finding our room"]))).all()
    for row in opened:
        db.session.add(ResourceOpened(resource_id=row.id, cohort_id=cohort.id, user_id=learner.id))
