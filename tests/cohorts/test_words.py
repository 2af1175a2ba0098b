"""Counts on pages read as people say them: one helper decides "1 person" and "7 people"."""
from __future__ import annotations

import re

import pytest

from portal.words import plural
from tests.conftest import REPO, login


@pytest.mark.parametrize("count,words,expected", [
    (0, ("session",), "0 sessions"), (1, ("session",), "1 session"), (2, ("session",), "2 sessions"),
    (1, ("person", "people"), "1 person"), (7, ("person", "people"), "7 people"),
    (1, ("reply", "replies"), "1 reply"), (3, ("reply", "replies"), "3 replies"),
])
def test_plural(count, words, expected):
    assert plural(count, *words) == expected


def test_no_template_pluralises_by_hand():
    """Hand-made plurals ("s" if n > 1, "person" if n == 1 …) go wrong at 0 or agree with the wrong number."""
    hand_made = re.compile(r"""["'][a-z ]*["'] if [^%}]*(==|!=|>|<) ?1\b""")
    found = [f"{p.relative_to(REPO)}: {m.group(0)}" for p in (REPO / "portal" / "templates").rglob("*.html")
             for m in hand_made.finditer(p.read_text())]
    assert found == []


def test_agreement_status_agrees_with_the_numbers(app, db, cohort, facilitator, make_user, enrol):
    for _ in range(6):
        enrol(make_user(), cohort, "learner")
    enrol(make_user(name="Nat Notyet"), cohort, "learner", accepted=False)
    client = app.test_client()
    login(client, facilitator.email)
    body = client.get(f"/cohorts/{cohort.id}/manage/agreement").get_data(as_text=True)
    assert "Still to accept this version: 1 of 8 people." in body


def test_one_recovery_code_left(app, db, facilitator):
    from portal.auth.models import RecoveryCode

    facilitator.recovery_codes = [RecoveryCode(code_hash="only-one")]
    db.session.commit()
    client = app.test_client()
    login(client, facilitator.email)
    assert "You have 1 recovery code left." in client.get("/account/two-factor").get_data(as_text=True)
