"""The composer's hints (portal/moderation/hints.py): computed from the text on request, never stored.

After posting, the author's next page shows them once. Only the list keys and the kinds of detail travel
(in the signed session cookie, never the words themselves), so the thread page costs nothing extra
when there is nothing to show.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import session
from sqlalchemy import select

from portal.auth.models import User
from portal.cohorts.models import Membership
from portal.extensions import db
from portal.moderation.hints import (Hint, carried_detail_hints, carried_language_hints, confidentiality_hints,
                                     language_hints)

CARRIED = "composer_hints"
MOST = 10  # a post that needs more suggestions than this gets the first ten


@dataclass
class Hints:
    language: list[Hint] = field(default_factory=list)
    details: list[Hint] = field(default_factory=list)
    post_id: int | None = None  # after posting: the post they are about

    def __bool__(self) -> bool:
        return bool(self.language or self.details)


def member_names(cohort_id: int) -> list[str]:
    return list(db.session.scalars(select(User.display_name).join(Membership, Membership.user_id == User.id)
                                   .where(Membership.cohort_id == cohort_id)))


def hints_for(text: str | None, cohort_id: int) -> Hints:
    text = text or ""
    return Hints(language_hints(text)[:MOST], confidentiality_hints(text, lambda: member_names(cohort_id)))


def carry(text: str | None, cohort_id: int, thread_id: int, post_id: int) -> None:
    """Remember, for the author's next page, which hints their post gave (if any)."""
    found = hints_for(text, cohort_id)
    if found:
        session[CARRIED] = {"thread": thread_id, "post": post_id, "language": [h.key for h in found.language],
                            "details": [h.key for h in found.details]}


def take_carried(thread_id: int) -> Hints | None:
    """The hints carried for this thread, once; anything else carried is dropped."""
    carried = session.pop(CARRIED, None)  # no cookie change unless something was there
    if not isinstance(carried, dict) or carried.get("thread") != thread_id:
        return None
    found = Hints(carried_language_hints(carried.get("language") or []),
                  carried_detail_hints(carried.get("details") or []), carried.get("post"))
    return found or None
