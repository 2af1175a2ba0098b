"""Practise on an example first (issue 12): the step before a learner's first feedback on an exercise."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.dates import local_today, utcnow
from portal.exercises.feedback_models import ExamplePractice, Feedback, ReviewAllocation
from tests.conftest import login, post
from tests.exercises.factories import add_example, add_exercise, add_response

MINE = {"rating-mutual": "clear", "rating-authentic": "clear", "rating-intentional": "strong",
        "rating-recovery": "emerging"}


def c(cohort, path: str) -> str:
    return f"/cohorts/{cohort.id}/{path}"


def signed_in(app, user):
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


def practise(client, cohort, exercise, worked="It hands the conversation back.", query="", **extra):
    return post(client, c(cohort, f"exercises/{exercise.id}/example{query}"),
                {"body": worked, "to_consider": "", **MINE, **extra})


def practices(db):
    return db.session.scalars(select(ExamplePractice)).all()


@pytest.fixture
def example(course, opened):
    return add_example(add_exercise(course, 1, mode="open", slug="with-example"))


@pytest.fixture
def shared(cohort, example, learner, peer):
    """The learner's shared response, and the peer's own: the peer may now give feedback on the learner's."""
    add_response(cohort, example, peer, "Peer's own words")
    return add_response(cohort, example, learner, "Learner's words")


class TestTheStep:
    def test_first_feedback_sends_the_learner_to_practise_and_not_after(self, app, db, cohort, peer, example,
                                                                         shared):
        client = signed_in(app, peer)
        for url in (f"responses/{shared.id}/feedback", f"responses/{shared.id}"):
            answer = client.get(c(cohort, url))
            assert answer.status_code == 302
            assert answer.headers["Location"] == c(cohort, f"exercises/{example.id}/example?response={shared.id}")
        assert practise(client, cohort, example, query=f"?response={shared.id}").status_code == 302
        page = client.get(c(cohort, f"responses/{shared.id}"))
        assert page.status_code == 200 and 'name="client_token"' in page.get_data(as_text=True)

    def test_the_practice_page_has_the_example_and_the_feedback_forms_shape(self, app, cohort, peer, example,
                                                                            shared):
        html = signed_in(app, peer).get(c(cohort, f"exercises/{example.id}/example")).get_data(as_text=True)
        assert "<em>yes, I have</em>" in html  # the example, rendered
        assert 'name="body"' in html and "What worked well" in html and 'name="to_consider"' in html
        for key in ("mutual", "authentic", "intentional", "recovery"):
            assert re.search(rf'name="rating-{key}" value="strong"', html)
        assert "Why mutual is strong." not in html  # the reference waits until the learner has rated it

    def test_the_comparison_in_words_criterion_by_criterion(self, app, db, cohort, peer, example, shared):
        client = signed_in(app, peer)
        answer = practise(client, cohort, example, "**Warm** and brief", query=f"?response={shared.id}")
        assert answer.headers["Location"] == c(cohort, f"exercises/{example.id}/example?response={shared.id}")
        html = client.get(answer.headers["Location"]).get_data(as_text=True)
        assert "You chose ‘clear’; the reference chose ‘strong’." in html  # mutual
        assert "You and the reference both chose ‘clear’." in html  # authentic
        assert "Why mutual is strong." in html and "Short and warm." in html and "One concrete detail." in html
        assert "<strong>Warm</strong> and brief" in html  # their own words beside the reference's
        assert not re.search(r"\b\d+ (?:of|/) \d+\b|score|marks?\b|%", html, re.I)  # no marks, no scores
        assert f'href="/cohorts/{cohort.id}/responses/{shared.id}/feedback"' in html  # on to the real feedback
        assert 'name="rating-mutual"' not in html  # once: no second form

    def test_they_can_look_at_their_comparison_again_later(self, app, cohort, peer, example, shared):
        client = signed_in(app, peer)
        practise(client, cohort, example)
        html = client.get(c(cohort, f"exercises/{example.id}/example")).get_data(as_text=True)
        assert "You chose ‘clear’; the reference chose ‘strong’." in html
        assert f'href="/cohorts/{cohort.id}/exercises/{example.id}"' in html  # no response given: the exercise

    def test_whoever_gave_feedback_before_the_example_existed_is_not_stopped(self, app, db, cohort, course,
                                                                              learner, peer, opened, make_user,
                                                                              enrol):
        exercise = add_exercise(course, 1, mode="open", slug="example-later")
        third = make_user("third@example.org", name="Third Learner")
        enrol(third, cohort)
        add_response(cohort, exercise, peer)
        first, second = add_response(cohort, exercise, learner), add_response(cohort, exercise, third)
        db.session.add(Feedback(cohort_id=cohort.id, response_id=first.id, reviewer_id=peer.id, what_worked="Kind",
                                what_worked_html="<p>Kind</p>", ratings={}, status="given", given_at=utcnow()))
        db.session.commit()
        add_example(exercise)
        assert signed_in(app, peer).get(c(cohort, f"responses/{second.id}")).status_code == 200

    def test_feedback_words_kept_after_a_lost_session_come_back_after_practising(self, app, db, cohort, peer,
                                                                                 example, shared):
        from portal.keep.rescue import _signer
        client = signed_in(app, peer)
        client.post("/logout", data={"csrf_token": re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(
            "/account").get_data(as_text=True)).group(1)})
        url = c(cohort, f"responses/{shared.id}/feedback")  # a form opened before the example was added
        answer = client.post(url, data={"body": "Written before the example", "intent": "give", "csrf_token": "x",
                                        "keep_owner": _signer(app.secret_key).dumps(peer.id)})
        assert answer.status_code == 401
        assert login(client, peer.email).status_code == 302
        sent = client.get(url)
        assert sent.status_code == 302 and "/example?response=" in sent.headers["Location"]
        done = practise(client, cohort, example, query=f"?response={shared.id}")
        html = client.get(done.headers["Location"]).get_data(as_text=True)
        onward = re.search(r'href="([^"]+)">Continue to your feedback', html).group(1)
        assert "Written before the example" in client.get(onward).get_data(as_text=True)

    def test_facilitators_are_not_sent_but_may_read_the_example(self, app, db, cohort, facilitator, example,
                                                                 shared):
        client = signed_in(app, facilitator)
        assert client.get(c(cohort, f"responses/{shared.id}")).status_code == 200
        html = client.get(c(cohort, f"exercises/{example.id}/example")).get_data(as_text=True)
        assert "<em>yes, I have</em>" in html and "Why mutual is strong." in html
        assert 'name="rating-mutual"' not in html
        assert practise(client, cohort, example).status_code == 404
        assert practices(db) == []

    def test_giving_before_practising_keeps_the_words_and_says_why(self, app, db, cohort, peer, example, shared):
        client = signed_in(app, peer)
        url = c(cohort, f"responses/{shared.id}/feedback")
        answer = post(client, url, {"body": "Typed in another tab", "intent": "give", "client_token": "t", **MINE})
        html = answer.get_data(as_text=True)
        assert answer.status_code == 409 and "Typed in another tab" in html
        assert "practise on the example" in html and f"exercises/{example.id}/example" in html
        assert db.session.scalars(select(Feedback)).all() == []
        draft = post(client, url, {"body": "Typed in another tab", "intent": "draft", "client_token": "t"})
        assert draft.status_code == 302  # a draft is private: nothing stops saving it

    def test_the_exercise_page_mentions_the_step_and_then_the_comparison(self, app, cohort, peer, example, shared):
        client = signed_in(app, peer)
        html = client.get(c(cohort, f"exercises/{example.id}")).get_data(as_text=True)
        assert f"/cohorts/{cohort.id}/exercises/{example.id}/example" in html and "practise on the example" in html
        practise(client, cohort, example)
        html = client.get(c(cohort, f"exercises/{example.id}")).get_data(as_text=True)
        assert "your choices beside the reference feedback" in html


class TestAccess:
    def test_outside_the_cohort_unknown_or_without_an_example_is_404(self, app, db, cohort, course, example,
                                                                     shared, peer, assert_isolated):
        url = c(cohort, f"exercises/{example.id}/example")
        assert_isolated(url)
        assert_isolated(url, "POST", {"body": "x", **MINE})
        client = signed_in(app, peer)
        plain = add_exercise(course, 1, slug="no-example")
        assert client.get(c(cohort, f"exercises/{plain.id}/example")).status_code == 404
        assert client.get(c(cohort, "exercises/999999/example")).status_code == 404
        assert practise(client, cohort, plain).status_code == 404

    def test_before_the_session_opens_it_is_404(self, app, db, cohort, course, peer, timetable):
        timetable(cohort)[0].day = local_today() + timedelta(days=5)
        db.session.commit()
        exercise = add_example(add_exercise(course, 1, slug="not-yet-open"))
        assert signed_in(app, peer).get(c(cohort, f"exercises/{exercise.id}/example")).status_code == 404

    def test_learners_who_cannot_give_feedback_yet_get_the_feedback_pages_refusal(self, app, db, cohort, course,
                                                                                    peer, example):
        client = signed_in(app, peer)
        answer = client.get(c(cohort, f"exercises/{example.id}/example"))
        assert answer.status_code == 200
        assert "Share your own response to this exercise first" in answer.get_data(as_text=True)
        refused = practise(client, cohort, example, "Kept words")
        assert refused.status_code == 409 and "Kept words" in refused.get_data(as_text=True)
        facilitated = add_example(add_exercise(course, 1, mode="facilitator-only", slug="fac-only"))
        html = client.get(c(cohort, f"exercises/{facilitated.id}/example")).get_data(as_text=True)
        assert "In this exercise, feedback comes from your facilitators." in html
        assert 'name="rating-mutual"' not in html
        allocated = add_example(add_exercise(course, 1, mode="allocated", slug="allocated-example"))
        add_response(cohort, allocated, peer)
        html = client.get(c(cohort, f"exercises/{allocated.id}/example")).get_data(as_text=True)
        assert "No responses have been allocated to you for feedback yet." in html
        assert practices(db) == []

    def test_allocated_mode_after_allocation(self, app, db, cohort, course, peer, learner, opened):
        allocated = add_example(add_exercise(course, 1, mode="allocated", slug="allocated-ok"))
        add_response(cohort, allocated, peer)
        theirs = add_response(cohort, allocated, learner)
        db.session.add(ReviewAllocation(cohort_id=cohort.id, exercise_id=allocated.id, response_id=theirs.id,
                                        reviewer_id=peer.id, author_id=learner.id))
        db.session.commit()
        client = signed_in(app, peer)
        assert client.get(c(cohort, f"responses/{theirs.id}")).status_code == 302
        assert practise(client, cohort, allocated).status_code == 302
        assert len(practices(db)) == 1

    def test_paused_members_and_archived_cohorts_read_only(self, app, db, cohort, suspended, learner, example,
                                                           peer):
        add_response(cohort, example, suspended)
        theirs = add_response(cohort, example, learner)
        client = signed_in(app, suspended)
        assert client.get(c(cohort, f"responses/{theirs.id}")).status_code == 200  # not sent to a step it can't take
        page = client.get(c(cohort, f"exercises/{example.id}/example"))
        assert page.status_code == 200 and "paused" in page.get_data(as_text=True)
        assert practise(client, cohort, example).status_code == 403
        cohort.status = "archived"
        db.session.commit()
        assert practise(signed_in(app, peer), cohort, example).status_code == 403
        assert practices(db) == []


class TestBadInput:
    @pytest.mark.parametrize("extra, message", [
        ({"rating-mutual": "brilliant"}, "t recognised"),
        ({"rating-unknown": "clear"}, "t recognised"),
        ({"rating-mutual": ""}, "t recognised"),
        ({"body": ""}, "start with what worked well"),
        ({"body": "x" * 5_001}, "up to 5,000 characters"),
        ({"to_consider": "y" * 5_001}, "up to 5,000 characters"),
    ])
    def test_refused_with_a_message_and_nothing_lost(self, app, db, cohort, peer, example, shared, extra, message):
        data = {"body": "My kept words", **extra}
        answer = practise(signed_in(app, peer), cohort, example, **data)
        html = answer.get_data(as_text=True)
        assert answer.status_code == 422 and message in html
        if data["body"] == "My kept words":
            assert "My kept words" in html
        assert practices(db) == []

    def test_a_missing_rating_is_asked_for_and_the_others_stay_chosen(self, app, db, cohort, peer, example,
                                                                      shared):
        client = signed_in(app, peer)
        answer = post(client, c(cohort, f"exercises/{example.id}/example"),
                      {"body": "Words", "rating-mutual": "clear"})
        html = answer.get_data(as_text=True)
        assert answer.status_code == 422 and "choose a step for each criterion" in html
        assert re.search(r'name="rating-mutual" value="clear" checked', html)
        assert practices(db) == []

    def test_a_double_submit_keeps_one_practice(self, app, db, cohort, peer, example, shared):
        client = signed_in(app, peer)
        assert practise(client, cohort, example).status_code == 302
        again = practise(client, cohort, example, "Second try", **{"rating-mutual": "strong"})
        assert again.status_code == 302
        (kept,) = practices(db)
        assert kept.ratings["mutual"] == "clear" and "hands the conversation" in kept.what_worked

    def test_a_forged_response_to_continue_to_goes_to_the_exercise(self, app, db, cohort, peer, example, shared,
                                                                  other_cohort, outsider):
        client = signed_in(app, peer)
        practise(client, cohort, example)
        for forged in ("999999", "abc", "-1", str(10 ** 30)):
            answer = client.get(c(cohort, f"exercises/{example.id}/example?response={forged}"))
            assert answer.status_code == 200
            assert f'href="/cohorts/{cohort.id}/responses/' not in answer.get_data(as_text=True)

    def test_a_missing_csrf_token_keeps_the_words(self, app, db, cohort, peer, example, shared):
        client = signed_in(app, peer)
        url = c(cohort, f"exercises/{example.id}/example")
        owner = re.search(r'name="keep_owner" value="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)
        answer = client.post(url, data={"body": "Words without a token", "keep_owner": owner, **MINE})
        assert answer.status_code == 400 and "Words without a token" in answer.get_data(as_text=True)
        assert "Words without a token" in client.get(url).get_data(as_text=True)
        assert practices(db) == []

    def test_a_lost_session_keeps_the_practice_words(self, app, db, cohort, peer, example, shared):
        client = signed_in(app, peer)
        url = c(cohort, f"exercises/{example.id}/example")
        html = client.get(url).get_data(as_text=True)
        owner = re.search(r'name="keep_owner" value="([^"]+)"', html).group(1)
        client.post("/logout", data={"csrf_token": re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                                                                html).group(1)})
        answer = client.post(url, data={"body": "What I noticed first", "to_consider": "A thought",
                                        "keep_owner": owner, "csrf_token": "expired", **MINE})
        assert answer.status_code in (400, 401) and "What I noticed first" in answer.get_data(as_text=True)
        assert login(client, peer.email).status_code == 302
        page = client.get(url).get_data(as_text=True)
        assert "What I noticed first" in page and "A thought" in page
        assert practices(db) == []


def test_two_submits_at_once_keep_one_practice(db, cohort, peer, example, monkeypatch):
    """The other request's row appears between the check and the insert: the unique constraint holds, and
    the first practice is the one kept and shown."""
    from portal.exercises import practice as service
    first = ExamplePractice(cohort_id=cohort.id, exercise_id=example.id, user_id=peer.id,
                            ratings={"mutual": "clear"}, what_worked="First", what_worked_html="<p>First</p>")
    db.session.add(first)
    db.session.commit()
    real, calls = service.own_practice, []

    def not_yet_seen(*args):
        calls.append(args)
        return None if len(calls) == 1 else real(*args)

    monkeypatch.setattr(service, "own_practice", not_yet_seen)
    ratings = {key.removeprefix("rating-"): label for key, label in MINE.items()}
    kept = service.save_practice(peer.id, cohort.id, example, "Second", ratings, None)
    assert kept.what_worked == "First" and len(practices(db)) == 1
