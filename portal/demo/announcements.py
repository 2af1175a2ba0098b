"""A demo announcement in Demo cohort A: the facilitator's word to the cohort, at the top of its home page
(issue 15). Posted through the service, so it is audited and notified like a real one."""
from __future__ import annotations

from sqlalchemy import select

from portal.announcements.models import Announcement
from portal.announcements.services import post_announcement
from portal.auth.models import User
from portal.cohorts.models import Cohort

COHORT, FACILITATOR = "Demo cohort A", "facilitator@example.org"
TITLE = "Next week we meet in Room 3"
BODY = """Hello everyone,

Room 2 is being decorated, so **next week we meet in Room 3**, one door along on the ground floor.
Same time, 6pm, and the quiet room is still next door if you need a break.

If anything about the change is hard for you, send me a message under *Messages from your facilitators*."""


def seed_announcements(cohort: Cohort, users: dict[str, User]) -> None:
    """Once, in Demo cohort A only: nothing is added if the cohort has an announcement already."""
    from portal.extensions import db

    if cohort.name != COHORT or db.session.scalar(select(Announcement.id).where(
            Announcement.cohort_id == cohort.id).limit(1)) is not None:
        return
    post_announcement(users[FACILITATOR], cohort, TITLE, BODY, "demo-announcement")
