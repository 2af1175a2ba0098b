"""The private self-check before sharing, and who sees whose responses."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.exercises.models import CohortExerciseSetting
from portal.exercises.response_models import ExerciseResponse, SelfCheck
from tests.conftest import login, post
from tests.exercises.factories import QUESTIONS, add_exercise, add_response

SECRET = "my-private-answer-about-my-own-need"


def c(cohort, path: str) -> str:
    return f"/cohorts/{cohort.id}/{path}"


def version_of(html: str) -> str:
    return re.search(r'name="version" type="hidden" value="([^"]*)"', html).group(1)


@pytest.fixture
def sharing(course, opened):
    return add_exercise(course, 1, self_check=True, slug="sharing")


def write_and_check(client, cohort, exercise, body="A piece of my story"):
    url = c(cohort, f"exercises/{exercise.id}")
    version = version_of(client.get(url).get_data(as_text=True))
    answer = post(client, url, {"body": body, "intent": "submit", "version": version})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/self-check")
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    for question in QUESTIONS:
        assert question in page
    return post(client, answer.headers["Location"], {
        "answers-0": SECRET, "answers-1": "Because it fits", "answers-2": "", "version": version_of(page)})


class TestSelfCheck:
    def test_asked_before_sharing_and_kept_for_the_author(self, client, auth, db, cohort, learner, sharing):
        auth.login(learner)
        assert write_and_check(client, cohort, sharing).status_code == 302
        response = db.session.scalars(select(ExerciseResponse)).one()
        assert response.status == "submitted"
        check = db.session.scalars(select(SelfCheck)).one()
        assert check.author_id == learner.id and check.answers[0] == {"question": QUESTIONS[0], "answer": SECRET}
        assert SECRET in client.get(c(cohort, f"responses/{response.id}")).get_data(as_text=True)

    def test_submitting_without_the_step_only_saves_a_draft(self, client, auth, db, cohort, learner, sharing):
        auth.login(learner)
        answer = post(client, c(cohort, f"exercises/{sharing.id}"), {"body": "Words", "intent": "submit",
                                                                      "version": "0"})
        assert answer.headers["Location"].endswith("/self-check")
        assert db.session.scalars(select(ExerciseResponse)).one().status == "draft"

    def test_nobody_else_ever_sees_the_answers(self, client, auth, db, cohort, learner, facilitator, site_admin,
                                               make_user, enrol, sharing, app):
        auth.login(learner)
        write_and_check(client, cohort, sharing)
        response = db.session.scalars(select(ExerciseResponse)).one()
        peer = make_user(name="Pat Peer")
        enrol(peer, cohort)
        add_response(cohort, sharing, peer, "Peer's own response")
        from portal.cohorts.openings import open_cohort
        open_cohort(site_admin, cohort.id, "Reading as the facilitators do", 30)  # even opened: no answers
        pages = [c(cohort, ""), c(cohort, "exercises"), c(cohort, f"exercises/{sharing.id}"),
                 c(cohort, f"responses/{response.id}"), c(cohort, "sessions/1"), c(cohort, "members"),
                 c(cohort, f"exercises/{sharing.id}/self-check"), f"/admin/people/{learner.id}",
                 c(cohort, "attendance"), "/home"]
        for user in (facilitator, site_admin, peer):
            other = app.test_client()
            login(other, user.email)
            for url in pages:
                body = other.get(url).get_data(as_text=True)
                assert SECRET not in body and "Because it fits" not in body, (user.email, url)
            assert "A piece of my story" in other.get(c(cohort, f"responses/{response.id}")).get_data(as_text=True)

    def test_self_check_page_is_only_for_the_learner_with_a_draft(self, client, auth, db, cohort, learner,
                                                                  facilitator, course, opened, app):
        plain = add_exercise(course, 1, slug="plain")
        auth.login(learner)
        assert client.get(c(cohort, f"exercises/{plain.id}/self-check")).status_code == 404
        fac = app.test_client()
        login(fac, facilitator.email)
        sharing = add_exercise(course, 1, self_check=True, slug="sharing2")
        assert fac.get(c(cohort, f"exercises/{sharing.id}/self-check")).status_code == 404
        assert client.get(c(cohort, f"exercises/{sharing.id}/self-check")).status_code == 302  # nothing to share

    def test_over_long_answer_is_refused_and_kept(self, client, auth, db, cohort, learner, sharing):
        auth.login(learner)
        post(client, c(cohort, f"exercises/{sharing.id}"), {"body": "Words", "intent": "draft", "version": "0"})
        answer = post(client, c(cohort, f"exercises/{sharing.id}/self-check"),
                      {"answers-0": "y" * 2_001, "version": "1"})
        assert answer.status_code == 422 and "y" * 2_001 in answer.get_data(as_text=True)
        assert db.session.scalars(select(ExerciseResponse)).one().status == "draft"


class TestWhoSeesWhat:
    @pytest.fixture
    def two(self, db, cohort, learner, make_user, enrol, course, opened):
        exercise = add_exercise(course, 1)
        peer = make_user(name="Pat Peer")
        enrol(peer, cohort)
        return exercise, peer

    def test_learners_see_others_once_they_have_shared(self, client, auth, db, cohort, learner, two):
        exercise, peer = two
        theirs = add_response(cohort, exercise, peer, "Peer words")
        auth.login(learner)
        page = client.get(c(cohort, f"exercises/{exercise.id}")).get_data(as_text=True)
        assert "Peer words" not in page and "Share your own response first" in page
        assert client.get(c(cohort, f"responses/{theirs.id}")).status_code == 404
        post(client, c(cohort, f"exercises/{exercise.id}"), {"body": "Mine", "intent": "draft", "version": "0"})
        assert "Peer words" not in client.get(c(cohort, f"exercises/{exercise.id}")).get_data(as_text=True)
        post(client, c(cohort, f"exercises/{exercise.id}"), {"body": "Mine", "intent": "submit", "version": "1"})
        assert "Peer words" in client.get(c(cohort, f"exercises/{exercise.id}")).get_data(as_text=True)
        assert client.get(c(cohort, f"responses/{theirs.id}")).status_code == 200

    def test_drafts_are_never_shown_to_anyone_else(self, client, auth, db, cohort, learner, facilitator, two, app):
        exercise, peer = two
        draft = add_response(cohort, exercise, peer, "Unfinished peer draft", submitted=False)
        fac = app.test_client()
        login(fac, facilitator.email)
        assert "Unfinished peer draft" not in fac.get(c(cohort, f"exercises/{exercise.id}")).get_data(as_text=True)
        assert fac.get(c(cohort, f"responses/{draft.id}")).status_code == 404

    def test_facilitators_see_every_submitted_response(self, client, auth, db, cohort, facilitator, two, app):
        exercise, peer = two
        add_response(cohort, exercise, peer, "Peer words")
        auth.login(facilitator)
        assert "Peer words" in client.get(c(cohort, f"exercises/{exercise.id}")).get_data(as_text=True)

    def test_facilitator_only_mode_shows_learners_none(self, client, auth, db, cohort, learner, two):
        exercise, peer = two
        db.session.add(CohortExerciseSetting(cohort_id=cohort.id, exercise_id=exercise.id, mode="facilitator-only"))
        db.session.commit()
        theirs = add_response(cohort, exercise, peer, "Peer words")
        add_response(cohort, exercise, learner, "Mine")
        auth.login(learner)
        page = client.get(c(cohort, f"exercises/{exercise.id}")).get_data(as_text=True)
        assert "Peer words" not in page and "read by your facilitators" in page
        assert client.get(c(cohort, f"responses/{theirs.id}")).status_code == 404

    def test_other_cohorts_get_404(self, client, auth, db, cohort, other_cohort, learner, two, assert_isolated):
        exercise, peer = two
        theirs = add_response(cohort, exercise, peer, "Peer words")
        for path in ("exercises", f"exercises/{exercise.id}", f"exercises/{exercise.id}/self-check",
                     f"responses/{theirs.id}"):
            assert_isolated(c(cohort, path))
        assert_isolated(c(cohort, f"responses/{theirs.id}/reopen"), "POST")
        # the same ids through another cohort's address
        auth.login(learner)
        assert client.get(c(other_cohort, f"responses/{theirs.id}")).status_code == 404

    def test_learners_cannot_reopen(self, client, auth, db, cohort, learner, two):
        exercise, peer = two
        theirs = add_response(cohort, exercise, peer, "Peer words")
        auth.login(learner)
        assert post(client, c(cohort, f"responses/{theirs.id}/reopen")).status_code == 404
        db.session.refresh(theirs)
        assert not theirs.reopened
