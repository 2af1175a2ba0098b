"""The exercise page makes the same few queries with 2 responses or 16, and their feedback, for a learner
and for a facilitator (allocated mode: the allocation table and its choices too)."""
from __future__ import annotations


import pytest

from portal.dates import utcnow
from portal.exercises.feedback_models import Feedback, ReviewAllocation
from tests.conftest import login
from tests.exercises.factories import add_exercise, add_response


def signed_in(app, user):
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


@pytest.mark.parametrize("mode", ["open", "allocated"])
@pytest.mark.parametrize("who", ["learner", "facilitator"])
def test_exercise_page_queries_do_not_grow_with_responses_and_feedback(
        app, db, course, opened, cohort, learner, facilitator, make_user, enrol, count_queries, mode, who):
    exercise = add_exercise(course, 1, mode=mode)
    mine = add_response(cohort, exercise, learner, "Mine")
    people = []

    def grow(to: int):
        while len(people) < to:
            person = make_user()
            enrol(person, cohort)
            theirs = add_response(cohort, exercise, person, f"Response {len(people)}")
            if mode == "allocated":
                db.session.add(ReviewAllocation(cohort_id=cohort.id, exercise_id=exercise.id, response_id=theirs.id,
                                                reviewer_id=learner.id, author_id=person.id))
                db.session.add(ReviewAllocation(cohort_id=cohort.id, exercise_id=exercise.id, response_id=mine.id,
                                                reviewer_id=person.id, author_id=learner.id))
            for response, reviewer in ((theirs, facilitator), (mine, person)):
                db.session.add(Feedback(cohort_id=cohort.id, response_id=response.id, reviewer_id=reviewer.id,
                                        what_worked="Kind", what_worked_html="<p>Kind</p>", ratings={},
                                        status="given", given_at=utcnow()))
            db.session.commit()
            people.append(person)

    client = signed_in(app, learner if who == "learner" else facilitator)
    url = f"/cohorts/{cohort.id}/exercises/{exercise.id}"
    measured = []
    for size in (2, 16):
        grow(size)
        client.get(url)
        with count_queries() as n:
            page = client.get(url).get_data(as_text=True)
        assert f"Response {size - 1}" in page
        measured.append(n())
    assert measured[0] == measured[1] <= 10, measured
