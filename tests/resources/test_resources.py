"""Session resources: adding links and handouts, the list with what is new to you, order, withdrawing."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.resources.models import Resource, ResourceOpened
from tests.conftest import csrf_token, post
from tests.resources.factories import (add_file, add_link, course_resource, docx_bytes, odt_bytes, pdf_bytes,
                                       pptx_bytes)


def list_url(cohort, number=1):
    return f"/cohorts/{cohort.id}/sessions/{number}/resources"


def add(client, cohort, number=1, **fields):
    url = f"{list_url(cohort, number)}/new"
    page = client.get(url).get_data(as_text=True)
    token = page.split('name="client_token" type="hidden" value="')[1].split('"')[0] \
        if 'name="client_token" type="hidden" value="' in page else "t"
    data = {"csrf_token": csrf_token(client, url), "title": "", "description": "", "url": "",
            "client_token": fields.pop("client_token", token), **fields}
    return client.post(url, data=data, content_type="multipart/form-data")


def stored(app) -> list[Path]:
    from flask import current_app
    root = Path(current_app.config["STORAGE_PATH"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_facilitator_adds_a_link_and_a_learner_sees_it_new_until_they_follow_it(
        client, auth, facilitator, learner, opened, db, app):
    auth.login(facilitator)
    response = add(client, opened, title="Hearing Voices Network", description="Groups near you.",
                   url="https://www.hearing-voices.org/groups")
    assert response.status_code == 302 and response.headers["Location"].endswith(list_url(opened))
    page = client.get(list_url(opened)).get_data(as_text=True)
    assert "Hearing Voices Network" in page and "A link to www.hearing-voices.org" in page
    auth.logout()
    auth.login(learner)
    page = client.get(list_url(opened)).get_data(as_text=True)
    assert "New to you" in page and "Groups near you." in page
    row = db.session.scalars(select(Resource)).one()
    followed = client.get(f"/cohorts/{opened.id}/resources/{row.id}")
    assert followed.status_code == 302 and followed.headers["Location"] == "https://www.hearing-voices.org/groups"
    assert followed.headers["Referrer-Policy"] == "no-referrer"
    assert "New to you" not in client.get(list_url(opened)).get_data(as_text=True)
    client.get(f"/cohorts/{opened.id}/resources/{row.id}")  # a second time records nothing new
    assert db.session.scalar(select(func.count(ResourceOpened.id))) == 1


@pytest.mark.parametrize("make, name, kind, mime", [
    (pdf_bytes, "Week 1 notes.pdf", "pdf", "application/pdf"),
    (docx_bytes, "notes.docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (odt_bytes, "notes.odt", "odt", "application/vnd.oasis.opendocument.text"),
    (pptx_bytes, "slides.pptx", "pptx",
     "application/vnd.openxmlformats-officedocument.presentationml.presentation")])
def test_each_kind_of_handout_is_stored_and_served_as_a_download_to_members(
        client, auth, facilitator, learner, opened, db, app, make, name, kind, mime):
    auth.login(facilitator)
    data = make()
    response = add(client, opened, title="Handout", upload=(io.BytesIO(data), name))
    assert response.status_code == 302
    row = db.session.scalars(select(Resource)).one()
    assert row.file_type == kind and row.file_size == len(data)
    auth.logout()
    auth.login(learner)
    got = client.get(f"/cohorts/{opened.id}/resources/{row.id}")
    assert got.status_code == 200 and got.data == data
    assert got.headers["Content-Type"].startswith(mime)
    assert got.headers["Content-Disposition"].startswith("attachment")
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in got.headers["Cache-Control"]


def test_the_course_resources_come_first_and_their_files_download(client, auth, course, facilitator, learner,
                                                                  opened, db):
    add_link(facilitator, opened, title="Cohort link")
    course_resource(course, 1, "a-handout", file="getting-started.md", title="Getting started handout")
    auth.login(learner)
    page = client.get(list_url(opened)).get_data(as_text=True)
    assert page.index("Getting started handout") < page.index("Cohort link")
    assert "from the course" in page and "added by your facilitators" in page
    row = db.session.scalar(select(Resource).where(Resource.slug == "a-handout"))
    got = client.get(f"/cohorts/{opened.id}/resources/{row.id}")
    assert got.status_code == 200 and b"Getting started together" in got.data
    assert got.headers["Content-Type"].startswith("text/markdown")
    assert got.headers["Content-Disposition"].startswith("attachment")


def test_reordering_with_buttons_moves_only_the_cohorts_own(client, auth, facilitator, opened, db):
    first, second = add_link(facilitator, opened, title="First one"), add_link(facilitator, opened, title="Second one")
    auth.login(facilitator)
    assert post(client, f"/cohorts/{opened.id}/resources/{first.id}/move", {"direction": "down"}).status_code == 302
    page = client.get(list_url(opened)).get_data(as_text=True)
    assert page.index("Second one") < page.index("First one")
    assert post(client, f"/cohorts/{opened.id}/resources/{second.id}/move", {"direction": "up"}).status_code == 302
    page = client.get(list_url(opened)).get_data(as_text=True)
    assert page.index("Second one") < page.index("First one")  # already first: nothing moves
    assert post(client, f"/cohorts/{opened.id}/resources/{second.id}/move",
                {"direction": "sideways"}).status_code == 422


def test_withdrawing_asks_first_then_nobody_can_open_it(client, auth, facilitator, learner, opened, db):
    row = add_file(facilitator, opened, title="Old handout")
    auth.login(facilitator)
    confirm = client.get(f"/cohorts/{opened.id}/resources/{row.id}/withdraw").get_data(as_text=True)
    assert "Withdraw \u201cOld handout\u201d?" in confirm and "handout.pdf" in confirm
    assert post(client, f"/cohorts/{opened.id}/resources/{row.id}/withdraw").status_code == 302
    assert "Withdrawn" in client.get(list_url(opened)).get_data(as_text=True)
    assert client.get(f"/cohorts/{opened.id}/resources/{row.id}").status_code == 404
    auth.logout()
    auth.login(learner)
    assert "Old handout" not in client.get(list_url(opened)).get_data(as_text=True)
    assert client.get(f"/cohorts/{opened.id}/resources/{row.id}").status_code == 404


def test_the_same_form_sent_twice_adds_one_resource_and_stores_one_file(client, auth, facilitator, opened, db, app):
    auth.login(facilitator)
    for _ in range(2):
        response = add(client, opened, title="Twice", client_token="same-token",
                       upload=(io.BytesIO(pdf_bytes()), "x.pdf"))
        assert response.status_code == 302
    assert db.session.scalar(select(func.count(Resource.id))) == 1
    assert len(stored(app)) == 1


def test_the_session_page_links_to_its_resources(client, auth, learner, opened):
    auth.login(learner)
    page = client.get(f"/cohorts/{opened.id}/sessions/1").get_data(as_text=True)
    assert f'href="{list_url(opened)}"' in page


def test_the_list_runs_a_fixed_number_of_queries(client, auth, course, facilitator, learner, opened, count_queries):
    add_link(facilitator, opened)
    auth.login(learner)
    client.get(list_url(opened))
    with count_queries() as few:
        assert client.get(list_url(opened)).status_code == 200
    for n in range(8):
        add_link(facilitator, opened, title=f"Link {n}")
        add_file(facilitator, opened, title=f"File {n}")
        course_resource(course, 1, f"course-{n}", title=f"Course {n}")
    with count_queries() as many:
        assert client.get(list_url(opened)).status_code == 200
    assert few() == many() <= 10
