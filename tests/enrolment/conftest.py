"""Rows to point enrolment URLs at: an invitation, an invite link and a CSV import in any cohort."""
from __future__ import annotations

import io
import re
import secrets
from datetime import timedelta

import pytest

from portal.dates import utcnow
from portal.enrolment.models import CsvImport, Invitation, InviteLink
from tests.conftest import csrf_token

NEW_PASSWORD = "a fresh start today"


def c(cohort, path: str) -> str:
    return f"/cohorts/{cohort.id}/{path}"


def invitation_path(mail) -> str:
    """The path of the accept link in an invitation email."""
    return re.search(r"http://localhost(/invitations/\S+)", mail.get_content()).group(1)


def upload(client, cohort, data: bytes, name: str = "people.csv"):
    return client.post(c(cohort, "invitations/csv"), content_type="multipart/form-data", data={
        "file": (io.BytesIO(data), name), "csrf_token": csrf_token(client, "/account")})


def new_account(client, path: str, name: str = "Nia", **extra):
    """Fill in the new-account form on an invitation or join-confirmation page."""
    return client.post(path, data={"display_name": name, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
                                   "csrf_token": csrf_token(client, path), **extra})


def _saved(db, row):
    db.session.add(row)
    db.session.commit()
    return row


@pytest.fixture
def make_invitation(db):
    def make(cohort, email: str = "invited@example.org", role: str = "learner", **fields) -> Invitation:
        fields = {"nonce": "n" * 32, "expires_at": utcnow() + timedelta(days=14), **fields}
        return _saved(db, Invitation(cohort_id=cohort.id, email=email, role=role, **fields))
    return make


@pytest.fixture
def make_link(db):
    def make(cohort, code: str | None = None, max_uses: int = 5, **fields) -> InviteLink:
        fields = {"expires_at": utcnow() + timedelta(days=7), "uses": 0, **fields}
        return _saved(db, InviteLink(cohort_id=cohort.id, code=code or secrets.token_urlsafe(8), max_uses=max_uses,
                                     **fields))
    return make


@pytest.fixture
def make_import(db):
    def make(cohort, by, rows: list[dict] | None = None) -> CsvImport:
        rows = rows if rows is not None else [{"line": 1, "name": "Ada", "email": "ada@example.org", "problem": None}]
        return _saved(db, CsvImport(cohort_id=cohort.id, created_by_id=by.id, filename="people.csv", rows=rows))
    return make
