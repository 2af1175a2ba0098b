"""Site administrators create cohorts and assign facilitators."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.agreements.models import AgreementVersion
from portal.cohorts.models import Cohort, CohortSession, Membership
from tests.conftest import post


@pytest.mark.parametrize("path", ["/admin/cohorts", "/admin/cohorts/new", "/admin/cohorts/1"])
def test_admin_pages_are_404_for_everyone_else(client, auth, facilitator, path):
    auth.login(facilitator)
    assert client.get(path).status_code == 404
    assert post(client, path).status_code in (404, 405)


def test_create_a_cohort_with_a_timetable_and_an_agreement(client, auth, site_admin, course, db):
    auth.login(site_admin)
    response = post(client, "/admin/cohorts/new", {"name": "Spring 2027", "start_date": "2027-03-02",
                                                  "status": "planned"})
    assert response.status_code == 302
    cohort = db.session.scalars(select(Cohort).where(Cohort.name == "Spring 2027")).one()
    assert db.session.scalar(select(func.count()).select_from(CohortSession)
                             .where(CohortSession.cohort_id == cohort.id)) == 3
    assert db.session.scalars(AgreementVersion.select_current(cohort.id)).one().number == 1
    assert "Spring 2027" in client.get("/admin/cohorts").get_data(as_text=True)


@pytest.mark.parametrize("data,message", [
    ({"name": "", "status": "planned"}, "Enter a name for the cohort"),
    ({"name": "N" * 121, "status": "planned"}, "120 characters or fewer"),
    ({"name": "Ok", "status": "exploded"}, "Not a valid choice"),
    ({"name": "Ok", "status": "planned", "start_date": "31/02/2027"}, "Not a valid date value"),
])
def test_bad_cohort_input_is_explained_and_kept(client, auth, site_admin, course, db, data, message):
    auth.login(site_admin)
    response = post(client, "/admin/cohorts/new", data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Cohort)) == 0


def test_edit_and_archive(client, auth, site_admin, cohort, db):
    auth.login(site_admin)
    response = post(client, f"/admin/cohorts/{cohort.id}", {"name": "Renamed", "status": "archived"})
    assert response.status_code == 302
    db.session.expire_all()
    assert (db.session.get(Cohort, cohort.id).name, db.session.get(Cohort, cohort.id).status) == \
        ("Renamed", "archived")
    assert client.get("/admin/cohorts/999999").status_code == 404


def test_add_an_existing_account_as_facilitator(client, auth, site_admin, cohort, make_user, db):
    person = make_user("new-fac@example.org", name="New Fac")
    auth.login(site_admin)
    assert post(client, f"/admin/cohorts/{cohort.id}/facilitators", {"email": "NEW-FAC@example.org"}).status_code == 302
    m = db.session.scalars(select(Membership).where(Membership.user_id == person.id)).one()
    assert (m.role, m.status) == ("facilitator", "active")
    assert "New Fac" in client.get(f"/admin/cohorts/{cohort.id}").get_data(as_text=True)


def test_adding_a_facilitator_needs_a_real_address(client, auth, site_admin, cohort):
    auth.login(site_admin)
    response = post(client, f"/admin/cohorts/{cohort.id}/facilitators", {"email": "nope"})
    assert response.status_code == 422 and "correct format" in response.get_data(as_text=True)
