"""Writing, saving, submitting, editing and reopening responses to exercises."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.dates import local_today, utcnow
from portal.exercises.response_models import ExerciseResponse, ResponseRevision
from tests.conftest import login, post
from tests.exercises.factories import add_exercise, add_response


def c(cohort, path: str) -> str:
    return f"/cohorts/{cohort.id}/{path}"


def version_of(html: str) -> str:
    return re.search(r'name="version" type="hidden" value="([^"]*)"', html).group(1)


@pytest.fixture
def exercise(course, opened):
    return add_exercise(course, 1)


def responses(db):
    return db.session.scalars(select(ExerciseResponse)).all()


def send(client, cohort, exercise, body, intent="draft", version=None):
    url = c(cohort, f"exercises/{exercise.id}")
    if version is None:
        version = version_of(client.get(url).get_data(as_text=True))
    return post(client, url, {"body": body, "intent": intent, "version": version})


class TestWriting:
    def test_save_draft_then_submit(self, client, auth, db, cohort, learner, exercise):
        auth.login(learner)
        assert send(client, cohort, exercise, "First thoughts").status_code == 302
        (r,) = responses(db)
        assert (r.status, r.body_source, r.version) == ("draft", "First thoughts", 1)
        page = client.get(c(cohort, f"exercises/{exercise.id}")).get_data(as_text=True)
        assert "First thoughts" in page and "Only you can see it" in page
        assert send(client, cohort, exercise, "Finished **words**", "submit").status_code == 302
        db.session.refresh(r)
        assert r.status == "submitted" and r.submitted_at is not None and "<strong>words</strong>" in r.body_html
        assert db.session.scalar(select(func.count()).select_from(ResponseRevision)) == 0  # drafts aren't versions

    def test_editing_a_submitted_response_keeps_the_earlier_version(self, client, auth, db, cohort, learner,
                                                                    facilitator, exercise, app):
        auth.login(learner)
        send(client, cohort, exercise, "Version one", "submit")
        assert send(client, cohort, exercise, "Version two", "submit").status_code == 302
        (r,) = responses(db)
        assert r.body_source == "Version two" and r.version == 2
        revs = db.session.scalars(select(ResponseRevision)).all()
        assert [v.body_source for v in revs] == ["Version one"]
        fac = app.test_client()
        login(fac, facilitator.email)
        page = fac.get(c(cohort, f"responses/{r.id}")).get_data(as_text=True)
        assert "Version one" in page and "Version two" in page

    def test_double_submit_makes_one_response(self, client, auth, db, cohort, learner, exercise):
        auth.login(learner)
        first = send(client, cohort, exercise, "Only once", "submit", version="0")
        again = send(client, cohort, exercise, "Only once", "submit", version="0")
        assert first.status_code == again.status_code == 302
        (r,) = responses(db)
        assert r.version == 1 and r.status == "submitted"

    def test_a_stale_editor_is_refused_and_keeps_its_text(self, client, auth, db, cohort, learner, exercise):
        auth.login(learner)
        send(client, cohort, exercise, "Saved elsewhere", version="0")
        answer = send(client, cohort, exercise, "Typed in an old tab", version="0")
        assert answer.status_code == 422
        assert "Typed in an old tab" in answer.get_data(as_text=True)
        assert responses(db)[0].body_source == "Saved elsewhere"

    def test_over_long_text_is_refused_kindly_and_kept(self, client, auth, db, cohort, learner, exercise):
        auth.login(learner)
        answer = send(client, cohort, exercise, "x" * 100_001)
        assert answer.status_code == 422
        assert "up to 100,000 characters" in answer.get_data(as_text=True)
        assert responses(db) == []

    def test_empty_and_forged_values_are_refused(self, client, auth, db, cohort, learner, exercise):
        auth.login(learner)
        assert send(client, cohort, exercise, "   ").status_code == 422
        assert send(client, cohort, exercise, "Words", version="99").status_code == 422
        assert post(client, c(cohort, f"exercises/{exercise.id}"), {"body": "x"}).status_code == 422  # no version
        assert responses(db) == []

    def test_locked_after_the_due_date_until_reopened(self, client, auth, db, cohort, learner, facilitator,
                                                      course, timetable, app):
        timetable(cohort)[0].day = local_today() - timedelta(days=10)
        db.session.commit()
        exercise = add_exercise(course, 1, due_days=7)
        response = add_response(cohort, exercise, learner, "Shared in time")
        auth.login(learner)
        page = client.get(c(cohort, f"exercises/{exercise.id}")).get_data(as_text=True)
        assert "date for responses has passed" in page and 'name="body"' not in page
        answer = send(client, cohort, exercise, "Too late", "submit", version="1")
        assert answer.status_code == 422 and "Too late" in answer.get_data(as_text=True)
        fac = app.test_client()
        login(fac, facilitator.email)
        assert post(fac, c(cohort, f"responses/{response.id}/reopen")).status_code == 302
        assert send(client, cohort, exercise, "Changed after reopening", "submit").status_code == 302
        db.session.refresh(response)
        assert response.body_source == "Changed after reopening" and not response.reopened  # closes again

    def test_a_late_first_response_can_still_be_shared(self, client, auth, db, cohort, learner, course, timetable):
        timetable(cohort)[0].day = local_today() - timedelta(days=10)
        db.session.commit()
        exercise = add_exercise(course, 1, due_days=1)
        auth.login(learner)
        assert send(client, cohort, exercise, "Late but here", "submit").status_code == 302
        assert responses(db)[0].status == "submitted"

    def test_facilitators_and_admins_do_not_write_responses(self, client, auth, db, cohort, facilitator,
                                                            exercise):
        auth.login(facilitator)
        assert 'name="body"' not in client.get(c(cohort, f"exercises/{exercise.id}")).get_data(as_text=True)
        assert send(client, cohort, exercise, "Not mine", version="0").status_code == 404
        assert responses(db) == []

    def test_paused_learners_and_archived_cohorts_read_only(self, client, auth, db, cohort, suspended, exercise):
        auth.login(suspended)
        page = client.get(c(cohort, f"exercises/{exercise.id}")).get_data(as_text=True)
        assert 'name="body"' not in page and "paused" in page
        assert send(client, cohort, exercise, "Words", version="0").status_code == 403
        assert responses(db) == []

    def test_archived_cohort_is_read_only(self, client, auth, db, cohort, learner, exercise):
        cohort.status = "archived"
        db.session.commit()
        auth.login(learner)
        assert 'name="body"' not in client.get(c(cohort, f"exercises/{exercise.id}")).get_data(as_text=True)
        assert send(client, cohort, exercise, "Words", version="0").status_code == 403


class TestDrafts:
    def test_autosave_comes_back_and_is_spent_once_saved(self, client, auth, db, cohort, learner, exercise):
        auth.login(learner)
        key = f"response:{exercise.id}"
        assert post(client, c(cohort, "drafts"), {"key": key, "body": "Typed so far", "token": "0"}).status_code == 200
        page = client.get(c(cohort, f"exercises/{exercise.id}")).get_data(as_text=True)
        assert "Typed so far" in page
        send(client, cohort, exercise, "Saved properly")
        late = post(client, c(cohort, "drafts"), {"key": key, "body": "Late autosave", "token": "0"})
        assert late.status_code == 409
        page = client.get(c(cohort, f"exercises/{exercise.id}")).get_data(as_text=True)
        assert "Late autosave" not in page and "Saved properly" in page

    def test_lost_session_keeps_the_words(self, client, auth, db, cohort, learner, exercise):
        auth.login(learner)
        url = c(cohort, f"exercises/{exercise.id}")
        html = client.get(url).get_data(as_text=True)
        owner = re.search(r'name="keep_owner" value="([^"]+)"', html).group(1)
        auth.logout()
        answer = client.post(url, data={"body": "Words I must not lose", "version": "0", "keep_owner": owner,
                                        "csrf_token": "expired"})
        assert answer.status_code in (400, 401)
        assert "Words I must not lose" in answer.get_data(as_text=True)
        auth.login(learner)
        assert "Words I must not lose" in client.get(url).get_data(as_text=True)


class TestPages:
    def test_exercise_page_opens_with_its_session(self, client, auth, db, cohort, learner, facilitator, course,
                                                  timetable, app):
        exercise = add_exercise(course, 2)
        timetable(cohort)[1].day = local_today() + timedelta(days=3)
        db.session.commit()
        auth.login(learner)
        assert client.get(c(cohort, f"exercises/{exercise.id}")).status_code == 404
        assert f"exercises/{exercise.id}" not in client.get(c(cohort, "exercises")).get_data(as_text=True)
        fac = app.test_client()
        login(fac, facilitator.email)
        assert fac.get(c(cohort, f"exercises/{exercise.id}")).status_code == 200
        timetable(cohort)[1].day = local_today()
        db.session.commit()
        assert client.get(c(cohort, f"exercises/{exercise.id}")).status_code == 200

    def test_unknown_other_course_and_retired_exercises_are_404(self, client, auth, db, cohort, learner, exercise):
        auth.login(learner)
        assert client.get(c(cohort, "exercises/999999")).status_code == 404
        assert client.get(c(cohort, "responses/999999")).status_code == 404
        exercise.retired_at = utcnow()
        db.session.commit()
        assert client.get(c(cohort, f"exercises/{exercise.id}")).status_code == 404

    def test_due_dates_from_the_session_date_or_to_be_confirmed(self, client, auth, db, cohort, learner, course,
                                                                timetable, exercise):
        auth.login(learner)
        day = timetable(cohort)[0].day + timedelta(days=7)
        page = client.get(c(cohort, f"exercises/{exercise.id}")).get_data(as_text=True)
        assert f'datetime="{day.isoformat()}"' in page
        timetable(cohort)[0].day = None
        timetable(cohort)[0].released_at = utcnow()
        db.session.commit()
        assert "date to be confirmed" in client.get(c(cohort, f"exercises/{exercise.id}")).get_data(as_text=True)

    def test_criteria_are_words_never_numbers(self, client, auth, cohort, learner, exercise):
        auth.login(learner)
        page = client.get(c(cohort, f"exercises/{exercise.id}")).get_data(as_text=True)
        assert "Not yet:" in page and "Strong:" in page
        assert not re.search(r"\b[1-4]\s*/\s*4\b|score|points", page, re.I)

    def test_waiting_on_cohort_home_and_session_page(self, client, auth, db, cohort, learner, facilitator,
                                                     exercise, app):
        auth.login(learner)
        for path in ("", "sessions/1"):
            page = client.get(c(cohort, path)).get_data(as_text=True)
            assert "waiting for your response" in page and exercise.title in page
        send(client, cohort, exercise, "Done", "submit")
        assert "waiting for your response" not in client.get(c(cohort, "")).get_data(as_text=True)
        fac = app.test_client()
        login(fac, facilitator.email)
        assert "waiting for your response" not in fac.get(c(cohort, "")).get_data(as_text=True)

    def test_linked_from_navigation_and_session_page(self, client, auth, cohort, learner, exercise):
        auth.login(learner)
        assert f'href="/cohorts/{cohort.id}/exercises"' in client.get(c(cohort, "")).get_data(as_text=True)
        assert f"/cohorts/{cohort.id}/exercises#session-1" in client.get(c(cohort, "sessions/1")).get_data(
            as_text=True)

    def test_query_count_does_not_grow_with_responses(self, client, auth, db, cohort, learner, exercise,
                                                      make_user, enrol, count_queries):
        add_response(cohort, exercise, learner, "Mine")
        auth.login(learner)
        url = c(cohort, f"exercises/{exercise.id}")
        for n in range(2):
            other = make_user()
            enrol(other, cohort)
            add_response(cohort, exercise, other, f"Response {n}")
        client.get(url)
        with count_queries() as n:
            assert client.get(url).status_code == 200
        few = n()
        for i in range(16):
            other = make_user()
            enrol(other, cohort)
            add_response(cohort, exercise, other, f"More {i}")
        with count_queries() as n:
            page = client.get(url).get_data(as_text=True)
        assert "More 15" in page
        assert n() == few <= 10
