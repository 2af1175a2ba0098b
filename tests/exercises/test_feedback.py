"""Giving and reading feedback on responses: each mode, the bad input of issue 12, locking, query counts."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from portal.dates import utcnow
from portal.exercises import feedback as service
from portal.exercises.feedback_models import Feedback, ReviewAllocation
from portal.exercises.response_models import ExerciseResponse
from portal.exercises.responses import feedback_has_begun
from tests.conftest import login, post
from tests.exercises.factories import add_exercise, add_response

ALL_RATED = {"rating-mutual": "clear", "rating-authentic": "strong", "rating-intentional": "emerging",
             "rating-recovery": "not yet"}


def c(cohort, path: str) -> str:
    return f"/cohorts/{cohort.id}/{path}"


def token_of(html: str) -> str:
    return re.search(r'name="client_token" type="hidden" value="([^"]*)"', html).group(1)


def signed_in(app, user):
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


def give(client, cohort, response, worked="You spoke from your own experience.", intent="give", token=None,
         **extra):
    url = c(cohort, f"responses/{response.id}/feedback")
    if token is None:
        page = client.get(c(cohort, f"responses/{response.id}")).get_data(as_text=True)
        token = token_of(page) if 'name="client_token"' in page else "t"
    data = {"body": worked, "intent": intent, "client_token": token, **ALL_RATED, **extra}
    return post(client, url, data)


def stored(db):
    return db.session.scalars(select(Feedback)).all()


@pytest.fixture
def open_exercise(course, opened):
    return add_exercise(course, 1, mode="open")


class TestOpenMode:
    def test_give_feedback_after_sharing_your_own(self, app, db, cohort, learner, peer, facilitator, open_exercise):
        theirs = add_response(cohort, open_exercise, learner, "Learner's words")
        add_response(cohort, open_exercise, peer, "Peer's words")
        client = signed_in(app, peer)
        assert give(client, cohort, theirs, "**Warm** and clear").status_code == 302
        (f,) = stored(db)
        assert (f.status, f.reviewer_id, f.ratings["mutual"]) == ("given", peer.id, "clear")
        assert "<strong>Warm</strong>" in f.what_worked_html
        page = signed_in(app, learner).get(c(cohort, f"responses/{theirs.id}")).get_data(as_text=True)
        assert "Warm" in page and "Pat Peer" in page and "Clear" in page  # not anonymous: named

    def test_not_before_sharing_your_own(self, app, db, cohort, learner, peer, open_exercise):
        theirs = add_response(cohort, open_exercise, learner)
        add_response(cohort, open_exercise, peer, submitted=False)
        client = signed_in(app, peer)
        assert give(client, cohort, theirs, token="t").status_code == 404
        assert stored(db) == []

    def test_never_on_your_own_response(self, app, db, cohort, learner, open_exercise):
        mine = add_response(cohort, open_exercise, learner)
        client = signed_in(app, learner)
        page = client.get(c(cohort, f"responses/{mine.id}")).get_data(as_text=True)
        assert 'name="client_token"' not in page  # no form offered
        answer = give(client, cohort, mine, "My own praise", token="t")
        assert answer.status_code == 409 and "your own response" in answer.get_data(as_text=True)
        assert "My own praise" in answer.get_data(as_text=True)  # kept
        assert stored(db) == []

    def test_feedback_locks_the_authors_editing(self, app, db, cohort, learner, peer, open_exercise):
        theirs = add_response(cohort, open_exercise, learner)
        add_response(cohort, open_exercise, peer)
        assert not feedback_has_begun(theirs)
        give(signed_in(app, peer), cohort, theirs, "Started", intent="draft")
        assert feedback_has_begun(theirs)
        page = signed_in(app, learner).get(c(cohort, f"exercises/{open_exercise.id}")).get_data(as_text=True)
        assert "Feedback on your response has begun" in page


class TestDraftsAndDoubleSubmits:
    def test_draft_then_give_and_facilitator_sees_it_started(self, app, db, cohort, learner, peer, facilitator,
                                                             open_exercise):
        theirs = add_response(cohort, open_exercise, learner)
        add_response(cohort, open_exercise, peer)
        client = signed_in(app, peer)
        assert give(client, cohort, theirs, "Half a thought", intent="draft").status_code == 302
        fac = signed_in(app, facilitator)
        page = fac.get(c(cohort, f"responses/{theirs.id}")).get_data(as_text=True)
        assert "Started, not yet given: Pat Peer" in page and "Half a thought" not in page
        author = signed_in(app, learner).get(c(cohort, f"responses/{theirs.id}")).get_data(as_text=True)
        assert "Half a thought" not in author and "Pat Peer" not in author
        mine = client.get(c(cohort, f"responses/{theirs.id}")).get_data(as_text=True)
        assert "Half a thought" in mine  # the form comes back as it was left
        assert give(client, cohort, theirs, "Whole thought").status_code == 302
        (f,) = stored(db)
        assert f.status == "given" and f.what_worked == "Whole thought"

    def test_double_submit_stores_once(self, app, db, cohort, learner, peer, open_exercise):
        theirs = add_response(cohort, open_exercise, learner)
        add_response(cohort, open_exercise, peer)
        client = signed_in(app, peer)
        assert give(client, cohort, theirs, "Once", token="same").status_code == 302
        assert give(client, cohort, theirs, "Once", token="same").status_code == 302
        assert len(stored(db)) == 1
        again = give(client, cohort, theirs, "A second go", token="other")
        assert again.status_code == 409 and "already given" in again.get_data(as_text=True)
        assert [f.what_worked for f in stored(db)] == ["Once"]

    def test_autosaved_draft_key_is_accepted_and_spent_once_given(self, app, db, cohort, learner, peer,
                                                                  open_exercise):
        theirs = add_response(cohort, open_exercise, learner)
        add_response(cohort, open_exercise, peer)
        client = signed_in(app, peer)
        page = client.get(c(cohort, f"responses/{theirs.id}")).get_data(as_text=True)
        key = service.draft_key(theirs.id)
        assert f'data-draft-key="{key}"' in page
        saved = post(client, c(cohort, "drafts"), {"key": key, "body": "Typed so far"})
        assert saved.status_code == 200
        assert "Typed so far" in client.get(c(cohort, f"responses/{theirs.id}")).get_data(as_text=True)
        give(client, cohort, theirs, "Given now")
        assert post(client, c(cohort, "drafts"), {"key": key, "body": "late"}).status_code == 409


class TestBadInput:
    @pytest.fixture
    def setup(self, app, cohort, learner, peer, open_exercise):
        theirs = add_response(cohort, open_exercise, learner)
        add_response(cohort, open_exercise, peer)
        return signed_in(app, peer), theirs

    def test_rating_outside_the_scale(self, db, cohort, setup):
        client, theirs = setup
        for extra in ({"rating-mutual": "4"}, {"rating-mutual": "excellent"}, {"rating-unknown": "clear"}):
            answer = give(client, cohort, theirs, "Kept words", token="t", **extra)
            assert answer.status_code == 422 and "Kept words" in answer.get_data(as_text=True)
        assert stored(db) == []

    def test_every_criterion_needs_a_step_to_give(self, db, cohort, setup):
        client, theirs = setup
        answer = post(client, c(cohort, f"responses/{theirs.id}/feedback"),
                      {"body": "Words", "intent": "give", "client_token": "t", "rating-mutual": "clear"})
        assert answer.status_code == 422 and "each criterion" in answer.get_data(as_text=True)
        assert stored(db) == []

    def test_what_worked_is_required(self, db, cohort, setup):
        client, theirs = setup
        answer = give(client, cohort, theirs, "", token="t", to_consider="Only this")
        assert answer.status_code == 422 and "what worked well" in answer.get_data(as_text=True)
        assert "Only this" in answer.get_data(as_text=True)
        assert stored(db) == []

    def test_text_over_the_limit(self, db, cohort, setup):
        client, theirs = setup
        answer = give(client, cohort, theirs, "x" * 6000, token="t")
        assert answer.status_code == 422 and "x" * 6000 in answer.get_data(as_text=True)
        assert stored(db) == []

    @pytest.mark.parametrize("forged", ["999999", "0", "-1", "abc", "99999999999999999999", "١"])
    def test_forged_response_ids(self, cohort, setup, forged):
        client, _theirs = setup
        assert post(client, c(cohort, f"responses/{forged}/feedback"), {"body": "x"}).status_code == 404
        assert client.get(c(cohort, f"responses/{forged}/feedback")).status_code == 404

    def test_response_of_another_cohort(self, app, db, course, other_cohort, outsider, cohort, setup,
                                        open_exercise):
        client, _theirs = setup
        elsewhere = add_response(other_cohort, open_exercise, outsider)
        assert give(client, cohort, elsewhere, token="t").status_code == 404
        assert give(client, other_cohort, elsewhere, token="t").status_code == 404
        assert stored(db) == []

    def test_paused_and_archived(self, app, db, cohort, learner, peer, suspended, open_exercise):
        theirs = add_response(cohort, open_exercise, learner)
        add_response(cohort, open_exercise, suspended)
        assert give(signed_in(app, suspended), cohort, theirs, token="t").status_code == 403
        add_response(cohort, open_exercise, peer)
        cohort.status = "archived"
        db.session.commit()
        client = signed_in(app, peer)
        page = client.get(c(cohort, f"responses/{theirs.id}")).get_data(as_text=True)
        assert 'name="client_token"' not in page
        assert give(client, cohort, theirs, token="t").status_code in (403, 409)
        assert stored(db) == []


class TestAllocatedMode:
    @pytest.fixture
    def exercise(self, course, opened):
        return add_exercise(course, 1, mode="allocated")

    def test_submitting_allocates_and_only_the_allocated_may_give(self, app, db, cohort, make_user, enrol,
                                                                 exercise, facilitator):
        people = []
        for n in range(4):
            person = make_user(name=f"Member {n}")
            enrol(person, cohort)
            people.append(person)
            add_response(cohort, exercise, person, f"Words {n}")
        fac = signed_in(app, facilitator)
        page = fac.get(c(cohort, f"exercises/{exercise.id}")).get_data(as_text=True)
        assert "Allocate reviewers" in page
        assert post(fac, c(cohort, f"exercises/{exercise.id}/allocate"), {}).status_code == 302
        pairs = db.session.execute(select(ReviewAllocation.reviewer_id, ReviewAllocation.author_id)).all()
        assert len(pairs) == 8 and all(r != a for r, a in pairs)
        reviewer, author = pairs[0]
        response = next(r for r in db.session.scalars(select(ExerciseResponse)) if r.author_id == author)
        outsider = next(p for p in people if (p.id, author) not in pairs and p.id != author)
        assert give(signed_in(app, outsider), cohort, response, token="t").status_code == 404
        by_id = {p.id: p for p in people}
        assert give(signed_in(app, by_id[reviewer]), cohort, response).status_code == 302
        assert len(stored(db)) == 1
        # re-allocating keeps the pair whose feedback has begun
        post(fac, c(cohort, f"exercises/{exercise.id}/allocate"), {})
        assert (reviewer, author) in db.session.execute(
            select(ReviewAllocation.reviewer_id, ReviewAllocation.author_id)).all()

    def test_sharing_through_the_page_allocates(self, app, db, cohort, make_user, enrol, exercise):
        for n in range(3):
            person = make_user(name=f"Member {n}")
            enrol(person, cohort)
            client = signed_in(app, person)
            page = client.get(c(cohort, f"exercises/{exercise.id}")).get_data(as_text=True)
            version = re.search(r'name="version" type="hidden" value="([^"]*)"', page).group(1)
            post(client, c(cohort, f"exercises/{exercise.id}"), {"body": f"Words {n}", "intent": "submit",
                                                                 "version": version})
        assert db.session.scalar(select(func.count()).select_from(ReviewAllocation)) == 6


class TestFacilitatorOnly:
    def test_only_facilitators_give(self, app, db, course, opened, cohort, learner, peer, facilitator):
        exercise = add_exercise(course, 1, mode="facilitator-only")
        theirs = add_response(cohort, exercise, learner)
        add_response(cohort, exercise, peer)
        assert give(signed_in(app, peer), cohort, theirs, token="t").status_code == 404
        assert give(signed_in(app, facilitator), cohort, theirs).status_code == 302
        (f,) = stored(db)
        assert f.reviewer_id == facilitator.id


def test_response_page_queries_do_not_grow_with_feedback(app, db, cohort, learner, open_exercise, make_user,
                                                         enrol, count_queries):
    theirs = add_response(cohort, open_exercise, learner)
    client = signed_in(app, learner)
    url = c(cohort, f"responses/{theirs.id}")

    def add_feedback(count):
        for n in range(count):
            person = make_user()
            enrol(person, cohort)
            db.session.add(Feedback(cohort_id=cohort.id, response_id=theirs.id, reviewer_id=person.id,
                                    what_worked=f"Feedback {n}", what_worked_html=f"<p>Feedback {n}</p>",
                                    ratings={"mutual": "clear"}, status="given",
                                    given_at=utcnow()))
        db.session.commit()
    add_feedback(2)
    client.get(url)
    with count_queries() as n:
        assert client.get(url).status_code == 200
    few = n()
    add_feedback(12)
    with count_queries() as n:  # the first visit after new feedback also moves the read marker
        page = client.get(url).get_data(as_text=True)
    assert "Feedback 11" in page and n() <= 10
    with count_queries() as n:
        client.get(url)
    assert n() == few <= 10


class TestGiveBeforeYouGet:
    @pytest.fixture
    def exercise(self, db, course, opened):
        exercise = add_exercise(course, 1, mode="open")
        exercise.give_before_get = True
        db.session.commit()
        return exercise

    def test_open_mode_author_reads_after_giving_one(self, app, db, cohort, learner, peer, exercise):
        mine = add_response(cohort, exercise, learner)
        theirs = add_response(cohort, exercise, peer)
        give(signed_in(app, peer), cohort, mine, "Lovely framing")
        author = signed_in(app, learner)
        page = author.get(c(cohort, f"responses/{mine.id}")).get_data(as_text=True)
        assert "Lovely framing" not in page and "once you have given your own feedback" in page
        assert give(author, cohort, theirs, "Thanks back").status_code == 302
        assert "Lovely framing" in author.get(c(cohort, f"responses/{mine.id}")).get_data(as_text=True)

    def test_allocated_mode_needs_all_allocated_feedback(self, app, db, course, opened, cohort, learner, peer,
                                                         make_user, enrol):
        exercise = add_exercise(course, 1, mode="allocated")
        exercise.give_before_get = True
        db.session.commit()
        third = make_user(name="Third Person")
        enrol(third, cohort)
        mine = add_response(cohort, exercise, learner)
        others = [add_response(cohort, exercise, p) for p in (peer, third)]
        for response in [mine, *others]:
            for reviewer in (learner, peer, third):
                if reviewer.id != response.author_id:
                    db.session.add(ReviewAllocation(cohort_id=cohort.id, exercise_id=exercise.id,
                                                    response_id=response.id, reviewer_id=reviewer.id,
                                                    author_id=response.author_id))
        db.session.commit()
        give(signed_in(app, peer), cohort, mine, "Lovely framing")
        author = signed_in(app, learner)
        give(author, cohort, others[0])
        page = author.get(c(cohort, f"responses/{mine.id}")).get_data(as_text=True)
        assert "Lovely framing" not in page and "1 of 2 given so far" in page
        give(author, cohort, others[1])
        assert "Lovely framing" in author.get(c(cohort, f"responses/{mine.id}")).get_data(as_text=True)

    @pytest.mark.parametrize("per", ["response", "exercise"])
    def test_a_facilitator_releases_it(self, app, db, cohort, learner, peer, facilitator, exercise, per):
        mine = add_response(cohort, exercise, learner)
        add_response(cohort, exercise, peer)
        give(signed_in(app, peer), cohort, mine, "Lovely framing")
        fac = signed_in(app, facilitator)
        url = c(cohort, f"responses/{mine.id}") if per == "response" else c(cohort, f"exercises/{exercise.id}")
        assert "Release feedback" in fac.get(url).get_data(as_text=True)
        target = (c(cohort, f"responses/{mine.id}/release-feedback") if per == "response"
                  else c(cohort, f"exercises/{exercise.id}/release-feedback"))
        assert post(fac, target, {}).status_code == 302
        assert post(fac, target, {}).status_code == 302  # twice: no harm
        page = signed_in(app, learner).get(c(cohort, f"responses/{mine.id}")).get_data(as_text=True)
        assert "Lovely framing" in page

    def test_learners_cannot_release(self, app, cohort, learner, exercise):
        mine = add_response(cohort, exercise, learner)
        client = signed_in(app, learner)
        assert post(client, c(cohort, f"responses/{mine.id}/release-feedback"), {}).status_code == 404
        assert post(client, c(cohort, f"exercises/{exercise.id}/release-feedback"), {}).status_code == 404


class TestAfterFeedback:
    @pytest.fixture
    def given(self, app, db, cohort, learner, peer, open_exercise):
        mine = add_response(cohort, open_exercise, learner)
        add_response(cohort, open_exercise, peer)
        give(signed_in(app, peer), cohort, mine, "Lovely framing")
        return mine, stored(db)[0]

    def test_how_it_landed_is_seen_by_that_reviewer_and_facilitators_only(self, app, db, cohort, learner, peer,
                                                                         facilitator, make_user, enrol, given,
                                                                         open_exercise):
        mine, item = given
        author = signed_in(app, learner)
        answers = {"strengths_first": "yes", "respectful": "yes", "useful": "partly"}
        assert post(author, c(cohort, f"feedback/{item.id}/landed"), answers).status_code == 302
        db.session.refresh(item)
        assert item.landed == answers
        reviewer_page = signed_in(app, peer).get(c(cohort, f"responses/{mine.id}")).get_data(as_text=True)
        assert "How it landed with Lee Learner" in reviewer_page and "Partly" in reviewer_page
        fac_page = signed_in(app, facilitator).get(c(cohort, f"responses/{mine.id}")).get_data(as_text=True)
        assert "How it landed" in fac_page and "Partly" in fac_page
        third = make_user(name="Third Person")
        enrol(third, cohort)
        # another learner who has shared may read the response, but never how feedback landed
        add_response(cohort, open_exercise, third)
        other_page = signed_in(app, third).get(c(cohort, f"responses/{mine.id}")).get_data(as_text=True)
        assert "How it landed" not in other_page and "Lovely framing" not in other_page

    @pytest.mark.parametrize("answers", [{}, {"strengths_first": "maybe", "respectful": "yes", "useful": "no"},
                                         {"strengths_first": "yes", "respectful": "yes"}])
    def test_bad_answers(self, app, db, cohort, learner, given, answers):
        mine, item = given
        answer = post(signed_in(app, learner), c(cohort, f"feedback/{item.id}/landed"), answers)
        assert answer.status_code == 422 and "yes, partly or no" in answer.get_data(as_text=True)
        db.session.refresh(item)
        assert item.landed is None

    def test_only_the_author_answers(self, app, db, cohort, peer, facilitator, given):
        _mine, item = given
        ok = {"strengths_first": "yes", "respectful": "yes", "useful": "yes"}
        for person in (peer, facilitator):
            assert post(signed_in(app, person), c(cohort, f"feedback/{item.id}/landed"), ok).status_code == 404
        for forged in ("999999", "0", "abc"):
            assert post(signed_in(app, peer), c(cohort, f"feedback/{forged}/landed"), ok).status_code == 404

    def test_take_forward_note_is_private_to_author_and_facilitators(self, app, db, cohort, learner, peer,
                                                                    facilitator, given):
        mine, _item = given
        author = signed_in(app, learner)
        assert post(author, c(cohort, f"responses/{mine.id}/take-forward"),
                    {"take_forward": "Lead with what I noticed"}).status_code == 302
        assert "Lead with what I noticed" in author.get(c(cohort, f"responses/{mine.id}")).get_data(as_text=True)
        fac = signed_in(app, facilitator).get(c(cohort, f"responses/{mine.id}")).get_data(as_text=True)
        assert "Lead with what I noticed" in fac
        assert "Lead with what I noticed" not in signed_in(app, peer).get(
            c(cohort, f"responses/{mine.id}")).get_data(as_text=True)
        assert post(signed_in(app, peer), c(cohort, f"responses/{mine.id}/take-forward"),
                    {"take_forward": "Not mine to write"}).status_code == 404
        too_long = post(author, c(cohort, f"responses/{mine.id}/take-forward"), {"take_forward": "y" * 2500})
        assert too_long.status_code == 422 and "y" * 2500 in too_long.get_data(as_text=True)
        db.session.refresh(mine)
        assert mine.take_forward == "Lead with what I noticed"


class TestWhatIsWaiting:
    def test_reviews_to_give_and_feedback_to_read(self, app, db, course, opened, cohort, learner, peer):
        exercise = add_exercise(course, 1, mode="allocated")
        mine = add_response(cohort, exercise, learner)
        theirs = add_response(cohort, exercise, peer)
        for response, reviewer in ((mine, peer), (theirs, learner)):
            db.session.add(ReviewAllocation(cohort_id=cohort.id, exercise_id=exercise.id, response_id=response.id,
                                            reviewer_id=reviewer.id, author_id=response.author_id))
        db.session.commit()
        author = signed_in(app, learner)
        for page in ("", "sessions/1"):
            html = author.get(c(cohort, page)).get_data(as_text=True)
            assert "Give feedback on a response to" in html and "New feedback" not in html
        give(signed_in(app, peer), cohort, mine, "Lovely framing")
        html = author.get(c(cohort, "")).get_data(as_text=True)
        assert f"responses/{mine.id}#feedback" in html and "New feedback on your response" in html
        author.get(c(cohort, f"responses/{mine.id}"))  # read it
        give(author, cohort, theirs)
        html = author.get(c(cohort, "")).get_data(as_text=True)
        assert "Feedback waiting for you" not in html

    def test_cohort_home_queries_do_not_grow(self, app, db, course, opened, cohort, learner, make_user, enrol,
                                             count_queries):
        exercise = add_exercise(course, 1, mode="allocated")
        mine = add_response(cohort, exercise, learner)
        author = signed_in(app, learner)

        def more(count):
            for _ in range(count):
                person = make_user()
                enrol(person, cohort)
                theirs = add_response(cohort, exercise, person)
                db.session.add(ReviewAllocation(cohort_id=cohort.id, exercise_id=exercise.id,
                                                response_id=theirs.id, reviewer_id=learner.id, author_id=person.id))
                db.session.add(Feedback(cohort_id=cohort.id, response_id=mine.id, reviewer_id=person.id,
                                        what_worked="w", what_worked_html="<p>w</p>", ratings={}, status="given",
                                        given_at=utcnow()))
            db.session.commit()
        more(1)
        author.get(c(cohort, ""))
        with count_queries() as n:
            author.get(c(cohort, ""))
        few = n()
        more(6)
        with count_queries() as n:
            html = author.get(c(cohort, "")).get_data(as_text=True)
        assert "7 new pieces of feedback" in html
        assert n() == few


class TestFacilitatorTools:
    @pytest.fixture
    def given(self, app, db, cohort, learner, peer, open_exercise):
        mine = add_response(cohort, open_exercise, learner)
        add_response(cohort, open_exercise, peer)
        give(signed_in(app, peer), cohort, mine, "Unkind words here")
        return mine, stored(db)[0]

    def test_hiding_feedback_with_a_reason(self, app, db, cohort, learner, peer, facilitator, given):
        mine, item = given
        fac = signed_in(app, facilitator)
        empty = post(fac, c(cohort, f"feedback/{item.id}/hide"), {"reason": "  "})
        assert empty.status_code == 422 and "say why" in empty.get_data(as_text=True)
        assert post(fac, c(cohort, f"feedback/{item.id}/hide"),
                    {"reason": "This doesn't follow our agreement on kindness"}).status_code == 302
        author = signed_in(app, learner).get(c(cohort, f"responses/{mine.id}")).get_data(as_text=True)
        assert "Unkind words here" not in author
        assert "Feedback waiting for you" not in signed_in(app, learner).get(c(cohort, "")).get_data(as_text=True)
        reviewer = signed_in(app, peer).get(c(cohort, f"responses/{mine.id}")).get_data(as_text=True)
        assert "our agreement on kindness" in reviewer
        assert "Hidden from the author" in fac.get(c(cohort, f"responses/{mine.id}")).get_data(as_text=True)
        assert post(fac, c(cohort, f"feedback/{item.id}/hide"), {"action": "show"}).status_code == 302
        assert "Unkind words here" in signed_in(app, learner).get(
            c(cohort, f"responses/{mine.id}")).get_data(as_text=True)

    def test_hiding_feedback_from_the_response_page_is_a_recorded_moderation_action_the_reviewer_hears_of(
            self, app, db, cohort, learner, peer, facilitator, given):
        from portal.audit.models import AuditEvent
        from portal.notifications import fanout
        from portal.notifications.models import Notification

        _mine, item = given
        fac = signed_in(app, facilitator)
        assert post(fac, c(cohort, f"feedback/{item.id}/hide"), {"reason": "Not kind enough"}).status_code == 302
        assert post(fac, c(cohort, f"feedback/{item.id}/hide"), {"action": "show"}).status_code == 302
        db.session.expire_all()
        entries = db.session.execute(select(AuditEvent.action, AuditEvent.actor_id).where(
            AuditEvent.subject_type == "feedback", AuditEvent.subject_id == item.id).order_by(AuditEvent.id)).all()
        assert [tuple(e) for e in entries] == [("item.hidden", facilitator.id), ("item.restored", facilitator.id)]
        fanout.sweep()
        told = db.session.scalars(select(Notification.kind).where(Notification.user_id == peer.id)).all()
        assert told.count("moderation_outcome") == 2
        assert db.session.scalars(select(Notification.kind).where(
            Notification.user_id == learner.id, Notification.kind == "moderation_outcome")).all() == []
        again = post(fac, c(cohort, f"feedback/{item.id}/hide"), {"action": "show"})  # already shown: said plainly
        assert again.status_code in (409, 422) and "nothing was changed" in again.get_data(as_text=True)

    def test_learners_cannot_hide_and_ids_of_other_cohorts_are_404(self, app, db, cohort, learner,
                                                                   other_facilitator, given):
        _mine, item = given
        assert post(signed_in(app, learner), c(cohort, f"feedback/{item.id}/hide"),
                    {"reason": "x"}).status_code == 404
        assert post(signed_in(app, other_facilitator), c(cohort, f"feedback/{item.id}/hide"),
                    {"reason": "x"}).status_code == 404
        db.session.refresh(item)
        assert item.hidden_at is None

    def test_allocating_by_hand(self, app, db, course, opened, cohort, learner, peer, facilitator, make_user, enrol):
        exercise = add_exercise(course, 1, mode="allocated")
        mine = add_response(cohort, exercise, learner)
        theirs = add_response(cohort, exercise, peer)
        fac = signed_in(app, facilitator)
        url = c(cohort, f"exercises/{exercise.id}/allocations")
        assert post(fac, url, {"action": "add", "reviewer": peer.id, "response": mine.id}).status_code == 302
        (a,) = db.session.scalars(select(ReviewAllocation)).all()
        assert (a.reviewer_id, a.author_id, a.manual) == (peer.id, learner.id, True)
        page = fac.get(c(cohort, f"exercises/{exercise.id}")).get_data(as_text=True)
        assert "Who gives feedback to whom" in page and "added by hand" in page
        twice = post(fac, url, {"action": "add", "reviewer": peer.id, "response": mine.id})
        own = post(fac, url, {"action": "add", "reviewer": learner.id, "response": mine.id})
        assert twice.status_code == own.status_code == 409 and "be added" in own.get_data(as_text=True)
        for forged in ({"reviewer": "999999", "response": mine.id}, {"reviewer": facilitator.id, "response": theirs.id}):
            assert post(fac, url, {"action": "add", **forged}).status_code == 404
        assert post(fac, url, {"action": "add", "reviewer": peer.id, "response": "x"}).status_code == 422
        assert db.session.scalar(select(func.count()).select_from(ReviewAllocation)) == 1
        # automatic allocation keeps the facilitator's pair
        post(fac, c(cohort, f"exercises/{exercise.id}/allocate"), {})
        assert (peer.id, learner.id) in db.session.execute(
            select(ReviewAllocation.reviewer_id, ReviewAllocation.author_id)).all()
        give(signed_in(app, peer), cohort, mine, intent="draft")
        begun = post(fac, url, {"action": "remove", "allocation": a.id})
        assert begun.status_code == 409 and "has begun" in begun.get_data(as_text=True)
        other = db.session.scalars(select(ReviewAllocation).where(ReviewAllocation.id != a.id)).first()
        assert post(fac, url, {"action": "remove", "allocation": other.id}).status_code == 302
        assert post(fac, url, {"action": "remove", "allocation": "999999"}).status_code == 404
        assert post(signed_in(app, learner), url, {"action": "remove", "allocation": a.id}).status_code == 404


class TestNothingTypedIsLost:
    def test_lost_session_keeps_feedback_and_take_forward_words(self, app, db, cohort, learner, peer,
                                                                 open_exercise):
        theirs = add_response(cohort, open_exercise, learner)
        add_response(cohort, open_exercise, peer)
        client = signed_in(app, peer)
        html = client.get(c(cohort, f"responses/{theirs.id}")).get_data(as_text=True)
        owner = re.search(r'name="keep_owner" value="([^"]+)"', html).group(1)
        client.post("/logout", data={"csrf_token": re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                                                                html).group(1)})
        url = c(cohort, f"responses/{theirs.id}/feedback")
        answer = client.post(url, data={"body": "Strengths I noticed", "to_consider": "One thought",
                                        "intent": "give", "keep_owner": owner, "csrf_token": "expired"})
        assert answer.status_code in (400, 401)
        assert "Strengths I noticed" in answer.get_data(as_text=True)
        assert login(client, peer.email).status_code == 302
        page = client.get(url).get_data(as_text=True)
        assert "Strengths I noticed" in page and "One thought" in page
        assert stored(db) == []

    def test_refused_feedback_keeps_ratings_chosen(self, app, db, cohort, learner, peer, open_exercise):
        theirs = add_response(cohort, open_exercise, learner)
        add_response(cohort, open_exercise, peer)
        answer = post(signed_in(app, peer), c(cohort, f"responses/{theirs.id}/feedback"),
                      {"body": "", "intent": "give", "client_token": "t", **ALL_RATED})
        assert answer.status_code == 422
        assert re.search(r'name="rating-mutual" value="clear" checked', answer.get_data(as_text=True))
