"""The read side: what a member's cohort home shows (one query), and the cohort's list of announcements."""
from __future__ import annotations

from functools import cache

from sqlalchemy import bindparam, exists, select

from portal.announcements.models import Announcement, AnnouncementDismissal
from portal.auth.models import User
from portal.extensions import db

HOME_LIMIT = 5  # the newest few at the top of the home page; the rest are on the list
PAGE_SIZE = 20


@cache
def _undismissed_statement():
    """Built once: it runs on every visit to a cohort home."""
    dismissed = exists().where(AnnouncementDismissal.announcement_id == Announcement.id,
                               AnnouncementDismissal.user_id == bindparam("user_id"))
    return (select(Announcement, User.display_name).outerjoin(User, User.id == Announcement.author_id)
            .where(Announcement.cohort_id == bindparam("cohort_id"), Announcement.withdrawn_at.is_(None), ~dismissed)
            .order_by(Announcement.id.desc()).limit(HOME_LIMIT))


def undismissed(cohort_id: int, user_id: int) -> list:
    """The cohort's live announcements this person has not dismissed, newest first, with their authors' names:
    one query."""
    return db.session.execute(_undismissed_statement(), {"cohort_id": cohort_id, "user_id": user_id}).all()


def cohort_announcements(cohort_id: int, user_id: int, page: int) -> tuple[list, bool]:
    """A page of the cohort's live announcements, newest first, with author names and whether this person
    dismissed each: ((announcement, author name, dismissed), ...), has_more."""
    dismissed = exists().where(AnnouncementDismissal.announcement_id == Announcement.id,
                               AnnouncementDismissal.user_id == user_id)
    rows = db.session.execute(
        select(Announcement, User.display_name, dismissed.label("dismissed"))
        .outerjoin(User, User.id == Announcement.author_id)
        .where(Announcement.cohort_id == cohort_id, Announcement.withdrawn_at.is_(None))
        .order_by(Announcement.id.desc()).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).all()
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE
