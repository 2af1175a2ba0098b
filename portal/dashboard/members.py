"""A cohort's current learners for the dashboard and its downloads, and who has not accepted the agreement.

Plain rows (no ORM objects): the dashboard reads them on every visit."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import bindparam

from portal.agreements.services import select_acceptance_status
from portal.auth.models import User
from portal.cohorts.models import Membership
from portal.extensions import db


@dataclass(frozen=True)
class Member:
    user_id: int
    name: str
    paused: bool
    joined_at: datetime
    accepted: bool  # the agreement in force


def cohort_members(cohort_id: int) -> tuple[list[Member], list[str]]:
    """Current learners (by name), and everyone current (facilitators too) who has not accepted the agreement
    in force (by name). One query."""
    members, not_accepted = [], []
    for uid, name, role, status, joined_at, accepted_at in db.session.execute(_statement(), {"cohort": cohort_id}):
        if accepted_at is None:
            not_accepted.append(name)
        if role == "learner":
            members.append(Member(uid, name, status == "suspended", joined_at, accepted_at is not None))
    members.sort(key=lambda m: (m.name.casefold(), m.user_id))
    return members, sorted(not_accepted, key=str.casefold)


@cache
def _statement():
    """The agreement page's own query (built once, with a placeholder for the cohort), reading only the
    columns the dashboard uses."""
    statement = select_acceptance_status(bindparam("cohort"))
    accepted_at = list(statement.selected_columns)[-1]  # the acceptance time, after every column of the two rows
    return statement.with_only_columns(User.id, User.display_name, Membership.role, Membership.status,
                                       Membership.created_at, accepted_at, maintain_column_froms=True)
