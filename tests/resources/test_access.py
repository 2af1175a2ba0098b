"""Who reaches a resource: members of its cohort only, once its session is open, never once withdrawn; the
file only through its cohort's route. Unknown and forbidden both answer 404."""
from __future__ import annotations

from pathlib import Path

import pytest
from flask import current_app

from portal.course.models import Course, CourseSession
from portal.cohorts.services import create_cohort
from tests.conftest import login, post
from tests.resources.factories import add_file, add_link, course_resource


@pytest.fixture
def both(facilitator, learner, course, opened, db):
    """A handout, a link and a course file on session 1 (open); a handout on session 2 (not open yet)."""
    return {"file": add_file(facilitator, opened, title="Open handout"),
            "link": add_link(facilitator, opened, title="Open link"),
            "course": course_resource(course, 1, "course-file", file="getting-started.md"),
            "later": add_file(facilitator, opened, number=2, title="Later handout"),
            "later_course": course_resource(course, 2, "later-course")}


def urls(cohort, r):
    c = f"/cohorts/{cohort.id}"
    return [f"{c}/sessions/1/resources", f"{c}/resources/{r['file'].id}", f"{c}/resources/{r['link'].id}",
            f"{c}/resources/{r['course'].id}", f"{c}/sessions/1/resources/new",
            f"{c}/resources/{r['file'].id}/withdraw"]


def test_nobody_outside_the_cohort_reaches_any_of_it(both, opened, assert_isolated):
    for url in urls(opened, both):
        assert_isolated(url)
    for r in ("file", "link"):
        assert_isolated(f"/cohorts/{opened.id}/resources/{both[r].id}/move", "POST", {"direction": "up"})
        assert_isolated(f"/cohorts/{opened.id}/resources/{both[r].id}/withdraw", "POST")


# A site admin reads a cohort's pages only as its facilitator or with the cohort opened (issue 16): 403 offers that.
@pytest.mark.parametrize("role, expected", [("learner", 200), ("facilitator", 200), ("suspended", 200),
                                            ("site_admin", 403)])
def test_members_open_what_is_open(app, both, opened, role, expected, request):
    client = app.test_client()
    login(client, request.getfixturevalue(role).email)
    for key in ("file", "course"):
        assert client.get(f"/cohorts/{opened.id}/resources/{both[key].id}").status_code == expected, key
    assert client.get(f"/cohorts/{opened.id}/resources/{both['link'].id}").status_code == (
        302 if expected == 200 else expected)


def test_a_session_not_yet_open_hides_its_resources_from_learners_but_not_facilitators(app, both, opened, learner,
                                                                                      facilitator):
    c = f"/cohorts/{opened.id}"
    as_learner, as_facilitator = app.test_client(), app.test_client()
    login(as_learner, learner.email)
    login(as_facilitator, facilitator.email)
    for url in (f"{c}/sessions/2/resources", f"{c}/resources/{both['later'].id}",
                f"{c}/resources/{both['later_course'].id}"):
        assert as_learner.get(url).status_code == 404, url
    assert "Later handout" not in as_learner.get(f"{c}/sessions/1/resources").get_data(as_text=True)
    page = as_facilitator.get(f"{c}/sessions/2/resources").get_data(as_text=True)
    assert "Later handout" in page and "Learners can't see these yet" in page
    assert as_facilitator.get(f"{c}/resources/{both['later'].id}").status_code == 200


def test_learners_cannot_add_move_or_withdraw(app, both, opened, learner):
    client = app.test_client()
    login(client, learner.email)
    c = f"/cohorts/{opened.id}"
    assert client.get(f"{c}/sessions/1/resources/new").status_code == 404
    added = post(client, f"{c}/sessions/1/resources/new", {"title": "x", "url": "https://example.org"})
    assert added.status_code == 404
    assert post(client, f"{c}/resources/{both['file'].id}/move", {"direction": "up"}).status_code == 404
    assert post(client, f"{c}/resources/{both['file'].id}/withdraw").status_code == 404
    assert "Move up" not in client.get(f"{c}/sessions/1/resources").get_data(as_text=True)


def test_another_cohorts_resource_by_its_id_is_404_even_to_a_facilitator_here(app, db, make_cohort, opened,
                                                                             facilitator, other_facilitator):
    elsewhere = make_cohort("Cohort West")
    theirs = add_link(other_facilitator, elsewhere, title="Not yours")
    client = app.test_client()
    login(client, facilitator.email)
    c = f"/cohorts/{opened.id}"
    assert client.get(f"{c}/resources/{theirs.id}").status_code == 404
    assert client.get(f"{c}/resources/{theirs.id}/withdraw").status_code == 404
    assert post(client, f"{c}/resources/{theirs.id}/withdraw").status_code == 404
    assert post(client, f"{c}/resources/{theirs.id}/move", {"direction": "up"}).status_code == 404
    for missing in (999999, 2**31 - 1):
        assert client.get(f"{c}/resources/{missing}").status_code == 404
    assert client.get(f"{c}/resources/99999999999999").status_code == 404  # beyond an id: not a route


def test_the_course_resources_of_another_course_are_not_here(app, db, opened, learner):
    other = Course(slug="other-course", title="Other", summary="Another course.")
    db.session.add(other)
    db.session.flush()
    db.session.add(CourseSession(course_id=other.id, number=1, slug="one", title="One", summary="s", aims=["a"],
                                 key_concepts=["k"], discussion_prompts=[], body_source="b", body_html="<p>b</p>"))
    db.session.commit()
    create_cohort(None, other, "Other course cohort", None, "running")
    theirs = course_resource(other, 1, "other-course-file", file="getting-started.md")
    client = app.test_client()
    login(client, learner.email)
    assert client.get(f"/cohorts/{opened.id}/resources/{theirs.id}").status_code == 404


def test_the_course_resources_cannot_be_moved_or_withdrawn_by_a_cohort(app, both, opened, facilitator):
    client = app.test_client()
    login(client, facilitator.email)
    c = f"/cohorts/{opened.id}"
    assert post(client, f"{c}/resources/{both['course'].id}/withdraw").status_code == 404
    assert post(client, f"{c}/resources/{both['course'].id}/move", {"direction": "down"}).status_code == 404


def test_a_stored_file_is_not_reachable_by_guessing_its_address(app, both, opened, learner):
    key = both["file"].file_key
    assert (Path(current_app.config["STORAGE_PATH"]) / key).is_file()
    client = app.test_client()
    login(client, learner.email)
    for guess in (f"/{key}", f"/storage/{key}", f"/static/{key}", f"/static/../instance/storage/{key}",
                  f"/instance/storage/{key}", f"/cohorts/{opened.id}/{key}", "/content/resources/files/"
                  "getting-started.md", f"/cohorts/{opened.id}/resources/{key}"):
        assert client.get(guess).status_code == 404, guess
