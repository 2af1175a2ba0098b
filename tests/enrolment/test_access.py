"""Who can reach the enrolment pages: every cohort route is invisible outside the cohort and to its learners,
every id is loaded through the cohort, and every form refuses a request without its CSRF token."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from portal.enrolment.models import CsvImport, Invitation, InviteLink
from tests.conftest import login, post
from tests.enrolment.conftest import c, invitation_path

# (path, method) of every facilitator route, with {inv}, {link} and {imp} standing for row ids.
FACILITATOR_ROUTES = [
    ("invitations", "GET"), ("invitations", "POST"),
    ("invitations/{inv}/revoke", "POST"), ("invitations/{inv}/resend", "POST"),
    ("invitations/csv", "GET"), ("invitations/csv", "POST"),
    ("invitations/csv/{imp}", "GET"), ("invitations/csv/{imp}", "POST"),
    ("invite-links", "GET"), ("invite-links", "POST"),
    ("invite-links/{link}/revoke", "POST"),
]


@pytest.fixture
def rows(cohort, facilitator, make_invitation, make_link, make_import):
    return {"inv": make_invitation(cohort).id, "link": make_link(cohort).id, "imp": make_import(cohort, facilitator).id}


def _nothing_changed(db) -> None:
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 1
    assert db.session.scalars(select(Invitation.revoked_at)).one() is None
    assert db.session.scalars(select(InviteLink.revoked_at)).one() is None
    assert db.session.scalars(select(CsvImport.confirmed_at)).one() is None


@pytest.mark.parametrize("path,method", FACILITATOR_ROUTES)
def test_every_route_is_invisible_outside_the_cohort(db, cohort, rows, assert_isolated, outbox, path, method):
    assert_isolated(c(cohort, path.format(**rows)), method=method)
    _nothing_changed(db)
    assert outbox() == []


@pytest.mark.parametrize("path,method", FACILITATOR_ROUTES)
def test_learners_of_the_cohort_get_404(app, db, cohort, rows, learner, outbox, path, method):
    client = app.test_client()
    login(client, learner.email)
    url = c(cohort, path.format(**rows))
    response = client.get(url) if method == "GET" else post(client, url, {"email": "x@example.org", "days": 3,
                                                                          "max_uses": 3})
    assert response.status_code == 404
    _nothing_changed(db)
    assert outbox() == []


@pytest.mark.parametrize("path", ["invitations/{inv}/revoke", "invitations/{inv}/resend", "invitations/csv/{imp}",
                                  "invite-links/{link}/revoke"])
def test_another_cohorts_rows_are_404_to_its_neighbours_facilitator(
        client, auth, db, cohort, other_cohort, facilitator, make_invitation, make_link, make_import, outbox, path):
    theirs = {"inv": make_invitation(other_cohort).id, "link": make_link(other_cohort).id,
              "imp": make_import(other_cohort, facilitator).id}
    auth.login(facilitator)
    assert post(client, c(cohort, path.format(**theirs))).status_code == 404
    if path.startswith("invitations/csv"):
        assert client.get(c(cohort, path.format(**theirs))).status_code == 404
    _nothing_changed(db)
    assert outbox() == []


@pytest.mark.parametrize("path", ["invitations/999999/revoke", "invitations/999999/resend",
                                  "invitations/csv/999999", "invite-links/999999/revoke"])
def test_made_up_ids_are_404(client, auth, cohort, facilitator, path):
    auth.login(facilitator)
    assert post(client, c(cohort, path)).status_code == 404


@pytest.mark.parametrize("path,data", [
    ("invitations", {"email": "new@example.org"}),
    ("invitations/{inv}/revoke", {}), ("invitations/{inv}/resend", {}),
    ("invitations/csv/{imp}", {}),
    ("invite-links", {"days": 3, "max_uses": 3}), ("invite-links/{link}/revoke", {}),
])
def test_facilitator_forms_without_a_csrf_token_are_refused(client, auth, db, cohort, facilitator, rows, outbox,
                                                            path, data):
    auth.login(facilitator)
    assert client.post(c(cohort, path.format(**rows)), data=data).status_code == 400
    _nothing_changed(db)
    assert db.session.scalar(select(func.count()).select_from(InviteLink)) == 1
    assert outbox() == []


def test_csv_upload_without_a_csrf_token_is_refused(client, auth, db, cohort, facilitator):
    auth.login(facilitator)
    response = client.post(c(cohort, "invitations/csv"), content_type="multipart/form-data",
                           data={"file": (io.BytesIO(b"Ada,ada@example.org\n"), "people.csv")})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(CsvImport)) == 0


def test_public_forms_without_a_csrf_token_are_refused(app, db, cohort, facilitator, outsider, make_link, outbox):
    from portal.enrolment.services import invite_person

    with app.test_request_context():
        invitation = invite_person(facilitator, cohort, outsider.email, None)
    token_path = invitation_path(outbox()[0])
    link = make_link(cohort, code="csrf-link")
    signed_in = app.test_client()
    login(signed_in, outsider.email)
    assert signed_in.post(token_path, data={}).status_code == 400
    assert signed_in.post(f"/join/{link.code}", data={}).status_code == 400
    anonymous = app.test_client()
    assert anonymous.post(f"/join/{link.code}", data={"email": "new@example.org"}).status_code == 400
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).accepted_at is None
    assert db.session.get(InviteLink, link.id).uses == 0
    assert len(outbox()) == 1  # only the invitation itself


def test_the_tabs_show_only_to_facilitators(client, auth, cohort, facilitator, learner, app):
    auth.login(facilitator)
    assert f'href="{c(cohort, "invitations")}"' in client.get(c(cohort, "invite-links")).get_data(as_text=True)
    other = app.test_client()
    login(other, learner.email)
    assert c(cohort, "invitations") not in other.get(c(cohort, "")).get_data(as_text=True)
