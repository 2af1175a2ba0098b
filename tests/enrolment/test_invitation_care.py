"""Invitations in real use: every address counts against the limit, big lists are warned about, pending
invitations can be withdrawn together, and each invitation says what really happened to it."""
from __future__ import annotations

import html
import re
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select

from portal.dates import utcnow
from portal.enrolment import links
from portal.enrolment.models import CsvImport, Invitation
from tests.conftest import csrf_token, login, post
from tests.enrolment.conftest import c, invitation_path, upload


@contextmanager
def invite_limit(app, value: str):
    app.config["RATELIMIT_INVITE"] = value
    try:
        yield
    finally:
        app.config["RATELIMIT_INVITE"] = "10000 per minute"


def _csv(n: int, start: int = 0) -> bytes:
    return ("name,email\n" + "".join(f"P{i},p{i}@example.org\n" for i in range(start, start + n))).encode()


def _invitations(db) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Invitation))


def test_a_csv_confirmation_counts_every_address_and_says_how_many_can_go(app, client, auth, db, cohort,
                                                                         facilitator, outbox):
    auth.login(facilitator)
    with invite_limit(app, "3 per hour"):
        preview = upload(client, cohort, _csv(5)).headers["Location"]
        page = client.get(preview).get_data(as_text=True)
        assert "you can send 3 more" in page.lower()
        refused = post(client, preview)
        body = refused.get_data(as_text=True)
        assert refused.status_code == 429
        assert "This would send 5 invitations, but you can send 3 more now" in body and "3 an hour" in body
        assert _invitations(db) == 0 and outbox() == []
        small = upload(client, cohort, _csv(2, start=10)).headers["Location"]
        assert post(client, small).status_code == 302
        assert _invitations(db) == 2
        one = post(client, c(cohort, "invitations"), {"email": "one@example.org"})
        assert one.status_code == 302
        over = post(client, c(cohort, "invitations"), {"name": "Kept Name", "email": "two@example.org"})
        text = html.unescape(over.get_data(as_text=True))
        assert over.status_code == 429 and "can't send any more just now" in text and 'value="Kept Name"' in text
        assert _invitations(db) == 3 and len(outbox()) == 3
    assert db.session.scalars(select(CsvImport.confirmed_at).where(CsvImport.id == int(preview.rsplit("/", 1)[1]))
                              ).one() is None  # the big list can still be sent later


def test_the_preview_warns_when_a_list_passes_the_cohort_size(app, client, auth, db, cohort, facilitator, learner):
    auth.login(facilitator)
    before = app.config.get("COHORT_SIZE_WARNING")
    app.config["COHORT_SIZE_WARNING"] = 5
    try:
        small = client.get(upload(client, cohort, _csv(2)).headers["Location"]).get_data(as_text=True)
        big = client.get(upload(client, cohort, _csv(4, start=20)).headers["Location"]).get_data(as_text=True)
    finally:
        app.config["COHORT_SIZE_WARNING"] = before
    assert "cohorts are usually" not in small
    # two members now (facilitator and learner) + 4 = 6 learners and facilitators, over 5
    assert "would bring Cohort North to 6 people" in big and "cohorts are usually up to 5" in big


def test_the_cohort_size_setting_defaults_to_twenty(fresh_app):
    assert fresh_app().config["COHORT_SIZE_WARNING"] == 20


def test_pending_invitations_can_be_withdrawn_together_after_a_confirmation(app, client, auth, db, cohort,
                                                                          facilitator, make_invitation,
                                                                          other_cohort):
    waiting = [make_invitation(cohort, email=f"w{i}@example.org") for i in range(3)]
    used = make_invitation(cohort, email="used@example.org", accepted_at=utcnow())
    theirs = make_invitation(other_cohort, email="theirs@example.org")
    auth.login(facilitator)
    page = client.get(c(cohort, "invitations")).get_data(as_text=True)
    assert page.count('name="invitation"') == 3 and "Withdraw selected" in page
    ids = [waiting[0].id, waiting[1].id, used.id, theirs.id]
    confirm = client.get(c(cohort, "invitations/withdraw"), query_string={"invitation": ids})
    body = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "Withdraw 2 invitations?" in body
    assert "w0@example.org" in body and "w1@example.org" in body and "theirs@" not in body and "used@" not in body
    assert _invitations(db) == 5 and db.session.scalar(select(func.count()).select_from(Invitation)
                                                       .where(Invitation.revoked_at.is_not(None))) == 0
    done = post(client, c(cohort, "invitations/withdraw"), {"invitation": ids}, follow_redirects=True)
    assert "2 invitations withdrawn" in done.get_data(as_text=True)
    db.session.expire_all()
    revoked = set(db.session.scalars(select(Invitation.email).where(Invitation.revoked_at.is_not(None))))
    assert revoked == {"w0@example.org", "w1@example.org"}


def test_bulk_withdraw_with_nothing_chosen_says_so(client, auth, cohort, facilitator):
    auth.login(facilitator)
    response = client.get(c(cohort, "invitations/withdraw"), follow_redirects=True)
    assert "Choose at least one waiting invitation" in response.get_data(as_text=True)


def test_bulk_withdraw_is_invisible_outside_the_cohort(cohort, facilitator, assert_isolated):
    assert_isolated(c(cohort, "invitations/withdraw"))
    assert_isolated(c(cohort, "invitations/withdraw"), method="POST")


def _state(body: str, email: str) -> str:
    table = body[body.index("<caption"):]
    row = re.search(rf"{re.escape(email)}.*?</tr>", table, re.S).group(0)
    return " ".join(re.sub(r"<[^>]+>", " ", row).split())


def test_joining_by_link_closes_the_emailed_invitation_and_says_so(app, client, auth, db, cohort, facilitator,
                                                                  make_user, make_invitation, make_link):
    person = make_user("both@example.org")
    invitation = make_invitation(cohort, email="Both@Example.org")
    links.join_by_link(make_link(cohort), person)
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).accepted_via == "link"
    auth.login(facilitator)
    assert "Joined by link on" in _state(client.get(c(cohort, "invitations")).get_data(as_text=True),
                                         "Both@Example.org")


def test_inviting_the_same_address_again_says_re_sent(app, client, auth, db, cohort, facilitator, outbox):
    auth.login(facilitator)
    post(client, c(cohort, "invitations"), {"email": "again@example.org"})
    post(client, c(cohort, "invitations"), {"email": "again@example.org"})
    assert _invitations(db) == 1 and len(outbox()) == 2
    state = _state(client.get(c(cohort, "invitations")).get_data(as_text=True), "again@example.org")
    assert "Waiting" in state and "Re-sent on" in state


def test_the_invitation_email_names_who_invited_them(app, client, auth, cohort, facilitator, outbox):
    auth.login(facilitator)
    post(client, c(cohort, "invitations"), {"email": "named@example.org"})
    assert "Fran Facilitator has invited you to join Cohort North" in outbox()[-1].get_content()


def test_the_invite_link_card_has_a_copy_button_that_needs_no_inline_script(client, auth, cohort, facilitator,
                                                                          make_link):
    make_link(cohort, code="copy-me")
    auth.login(facilitator)
    body = client.get(c(cohort, "invite-links")).get_data(as_text=True)
    assert 'data-copy="link-' in body and "/static/js/copy-link.js" in body
    assert 'readonly value="http://localhost/join/copy-me"' in body  # still selectable text without JS
    assert "onclick" not in body
