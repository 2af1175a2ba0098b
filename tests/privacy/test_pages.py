"""The pages: asking to be erased, the site admin's confirmation, and odd links to downloads."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.extensions import db
from portal.privacy.models import ErasureRequest
from tests.conftest import post


def test_a_member_asks_to_be_erased_and_is_told_plainly(learner, auth, client):
    auth.login(learner)
    page = client.get("/my-data/erase").get_data(as_text=True)
    assert "Removed at the member" in page and "backups" in page
    assert post(client, "/my-data/erase").status_code == 302
    assert "will confirm it soon" in client.get("/my-data/erase").get_data(as_text=True)
    again = post(client, "/my-data/erase")  # a second click, or a second tab
    assert again.status_code == 409 and "already asked" in again.get_data(as_text=True)
    assert len(db.session.scalars(select(ErasureRequest)).all()) == 1


def test_the_last_facilitator_is_refused_with_a_clear_message(facilitator, auth, client, cohort):
    auth.login(facilitator)
    answer = post(client, "/my-data/erase")
    assert answer.status_code == 409
    assert "only facilitator of" in answer.get_data(as_text=True) and cohort.name in answer.get_data(as_text=True)
    assert db.session.scalars(select(ErasureRequest)).all() == []


def test_a_site_admin_confirms_and_it_is_recorded(learner, site_admin, auth, client):
    from portal.privacy.erasure import request_erasure

    request = request_erasure(learner)
    name = learner.display_name
    auth.login(site_admin)
    listing = client.get("/admin/erasure-requests").get_data(as_text=True)
    assert name in listing
    page = client.get(f"/admin/erasure-requests/{request.id}")
    assert page.status_code == 200 and "can't be undone" in page.get_data(as_text=True)
    assert post(client, f"/admin/erasure-requests/{request.id}").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, learner.id).display_name == "A former member"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "erasure.confirmed")).one()
    assert event.actor_id == site_admin.id and event.subject_id == learner.id
    assert name not in client.get("/admin/erasure-requests").get_data(as_text=True)
    twice = post(client, f"/admin/erasure-requests/{request.id}")
    assert twice.status_code == 409 and "already been dealt with" in twice.get_data(as_text=True)
    assert client.get("/admin/erasure-requests/999999").status_code == 404


@pytest.mark.parametrize("tail", ["1/x", "0/abc", "99999999999999999999/abc", "1/" + "a" * 5000, "-1/x",
                                  "1/%00", "1/..%2F..%2Fetc%2Fpasswd"])
def test_odd_download_links_are_404_never_500(learner, auth, client, tail):
    auth.login(learner)
    assert client.get(f"/my-data/exports/{tail}").status_code == 404


def test_the_account_page_links_to_my_data(learner, auth, client):
    auth.login(learner)
    assert 'href="/my-data"' in client.get("/account").get_data(as_text=True)
