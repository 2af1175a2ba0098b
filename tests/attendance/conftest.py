"""Fixtures for attendance: learners in bulk, the register's form data, what is saved."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.attendance.models import Attendance
from portal.cohorts.models import Membership


def url(cohort, path: str = "attendance") -> str:
    return f"/cohorts/{cohort.id}/{path}"


def membership_of(db, user, cohort) -> Membership:
    return db.session.scalars(select(Membership).filter_by(user_id=user.id, cohort_id=cohort.id)).one()


def register(statuses: dict) -> dict:
    """The register's form data: {membership or id: status} → {"status-<id>": status}."""
    return {f"status-{getattr(m, 'id', m)}": status for m, status in statuses.items()}


def row_cells(body: str, header: str) -> list[str]:
    """The text of each cell after the row header `header` in a table, tags removed."""
    match = re.search(r"<th scope=\"row\">" + re.escape(header) + r".*?</th>(.*?)</tr>", body, re.S)
    assert match, f"no row {header!r}"
    cells = re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]


@pytest.fixture
def saved(db):
    """What is recorded now: {(cohort_session_id, membership_id): status}."""
    def read() -> dict[tuple[int, int], str]:
        db.session.expire_all()
        return {(a.cohort_session_id, a.membership_id): a.status for a in db.session.scalars(select(Attendance))}
    return read


@pytest.fixture
def add_learners(make_user, enrol):
    """`add_learners(cohort, n)`: n more active learners in the cohort, returning their memberships."""
    def add(cohort, n: int, status: str = "active") -> list[Membership]:
        return [enrol(make_user(), cohort, "learner", status=status) for _ in range(n)]
    return add
