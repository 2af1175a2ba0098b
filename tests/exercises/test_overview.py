"""The facilitators' members × exercises overview: every cell state in words, access, links, query counts."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from portal.dates import local_today, utcnow
from portal.exercises.feedback_models import Feedback, ReviewAllocation
from tests.conftest import login
from tests.exercises.factories import add_exercise, add_response


def url(cohort) -> str:
    return f"/cohorts/{cohort.id}/exercises/overview"


def signed_in(app, user):
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


def cell(html: str, name: str, title: str) -> str:
    """The words of one learner's cell for one exercise, tags removed."""
    row = next(r for r in html.split("<tr>") if f'<th scope="row">{name}' in r)
    found = re.search(rf'<td data-label="{re.escape(title)}">(.*?)</td>', row, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", found).split())


def give(db, cohort, response, reviewer, *, hidden=False, status="given"):
    db.session.add(Feedback(cohort_id=cohort.id, response_id=response.id, reviewer_id=reviewer.id,
                            what_worked="Kind words", what_worked_html="<p>Kind words</p>", ratings={},
                            status=status, given_at=utcnow() if status == "given" else None,
                            hidden_at=utcnow() if hidden else None, hidden_reason="Unkind" if hidden else None))
    db.session.commit()


@pytest.fixture
def long_ago(db, cohort, timetable):
    """Session 1 a month ago (everything of it is past due); session 3 next month."""
    rows = timetable(cohort)
    rows[0].day = local_today() - timedelta(days=30)
    rows[2].day = local_today() + timedelta(days=30)
    db.session.commit()
    return cohort


class TestCells:
    @pytest.fixture
    def page(self, app, db, course, long_ago, cohort, learner, peer, suspended, facilitator, make_user, enrol):
        third = make_user(name="Tam Third")
        enrol(third, cohort)
        opened = add_exercise(course, 1, mode="open")
        allocated = add_exercise(course, 1, mode="allocated")
        facilitators = add_exercise(course, 1, mode="facilitator-only")
        later = add_exercise(course, 3, mode="open")
        mine = add_response(cohort, opened, learner, "Lee's words")
        add_response(cohort, opened, peer, "A draft", submitted=False)
        give(db, cohort, mine, peer)
        give(db, cohort, mine, facilitator, hidden=True)  # hidden from the author: not received
        give(db, cohort, mine, third, status="draft")  # not given yet
        theirs = add_response(cohort, allocated, peer)
        other = add_response(cohort, allocated, third)
        for response, author in ((theirs, peer), (other, third)):
            db.session.add(ReviewAllocation(cohort_id=cohort.id, exercise_id=allocated.id, response_id=response.id,
                                            reviewer_id=learner.id, author_id=author.id))
        db.session.commit()
        give(db, cohort, theirs, learner)
        add_response(cohort, facilitators, learner)
        response = signed_in(app, facilitator).get(url(cohort))
        assert response.status_code == 200
        return response.get_data(as_text=True), {"open": opened, "allocated": allocated,
                                                 "facilitators": facilitators, "later": later}, mine

    def test_shared_response_links_to_it_and_counts_feedback_received(self, page, cohort):
        html, ex, mine = page
        words = cell(html, "Lee Learner", ex["open"].title)
        assert words.startswith("Response: shared by Lee Learner for")
        assert "Feedback received: 1" in words and "past its due date" not in words
        assert f'href="/cohorts/{cohort.id}/responses/{mine.id}"' in html

    def test_draft_is_named_but_never_linked(self, page):
        html, ex, _mine = page
        words = cell(html, "Pat Peer", ex["open"].title)
        assert "Response: draft, not shared yet" in words
        assert "Response past its due date" in words
        assert "A draft" not in html

    def test_not_yet_and_paused(self, page):
        html, ex, _mine = page
        assert '<th scope="row">Sue Spended <span class="hint">(paused)</span>' in html
        words = cell(html, "Sue Spended", ex["open"].title)
        assert "Response: not yet" in words and "Response past its due date" in words
        assert "Feedback given: 0" in words and "Feedback received: 0" in words

    def test_feedback_given_in_open_mode(self, page):
        html, ex, _mine = page
        assert "Feedback given: 1" in cell(html, "Pat Peer", ex["open"].title)
        assert "Feedback given: 0" in cell(html, "Tam Third", ex["open"].title)  # a draft isn't given

    def test_allocated_counts_and_feedback_overdue(self, page):
        html, ex, _mine = page
        words = cell(html, "Lee Learner", ex["allocated"].title)
        assert "Feedback given: 1 of 2 asked" in words and "Feedback past its due date" in words
        assert "Response: not yet" in words
        done = cell(html, "Pat Peer", ex["allocated"].title)
        assert "Feedback given: 0 of 0 asked" in done and "Feedback past its due date" not in done
        assert "Response: shared" in done

    def test_facilitator_only_mode(self, page):
        html, ex, _mine = page
        assert "Feedback given: not asked (facilitators only)" in cell(html, "Lee Learner", ex["facilitators"].title)

    def test_a_session_not_open_yet(self, page):
        html, ex, _mine = page
        assert cell(html, "Lee Learner", ex["later"].title) == "Opens with session 3"

    def test_columns_in_session_order_with_due_dates(self, page):
        html, ex, _mine = page
        positions = [html.index(f">{ex[k].title}</a>") for k in ("open", "allocated", "facilitators", "later")]
        assert positions == sorted(positions)
        assert f">{ex['open'].title}</a>:\n    session 1, responses due" in html
        assert '<caption id="overview-caption">' in html and '<th scope="col">Learner</th>' in html

    def test_only_learners_are_rows(self, page):
        html, _ex, _mine = page
        assert '<th scope="row">Fran Facilitator' not in html


def test_no_learners_yet(app, cohort, facilitator):
    html = signed_in(app, facilitator).get(url(cohort)).get_data(as_text=True)
    assert "There are no learners in this cohort yet" in html


def test_learners_and_outsiders_get_404(app, cohort, learner, suspended, assert_isolated):
    for user in (learner, suspended):
        assert signed_in(app, user).get(url(cohort)).status_code == 404
    assert_isolated(url(cohort))


def test_site_admins_see_it(app, cohort, learner, site_admin):
    from portal.cohorts.openings import open_cohort

    assert signed_in(app, site_admin).get(url(cohort)).status_code == 403  # only with the cohort open
    open_cohort(site_admin, cohort.id, "Checking progress", 30)
    assert signed_in(app, site_admin).get(url(cohort)).status_code == 200


def test_linked_from_exercise_pages_and_facilitator_tools(app, course, long_ago, cohort, learner, facilitator):
    exercise = add_exercise(course, 1)
    fac = signed_in(app, facilitator)
    for path in ("exercises", f"exercises/{exercise.id}", ""):
        assert f'href="{url(cohort)}"' in fac.get(f"/cohorts/{cohort.id}/{path}").get_data(as_text=True), path
    lee = signed_in(app, learner)
    for path in ("exercises", f"exercises/{exercise.id}", ""):
        assert url(cohort) not in lee.get(f"/cohorts/{cohort.id}/{path}").get_data(as_text=True), path


def test_query_count_is_the_same_whatever_the_size(app, db, course, long_ago, cohort, facilitator, make_user,
                                                   enrol, count_queries):
    client = signed_in(app, facilitator)
    people, measured = [], []
    for size in (2, 8, 20):
        while len(people) < size:
            person = make_user()
            enrol(person, cohort, status="suspended" if len(people) % 7 == 3 else "active")
            people.append(person)
        exercises = [add_exercise(course, 1 + n % 3, slug=f"size-{size}-{n}", mode=("open", "allocated")[n % 2])
                     for n in range(size // 4 + 1)]
        for n, exercise in enumerate(exercises):
            for i, person in enumerate(people):
                response = add_response(cohort, exercise, person, submitted=i % 3 != 0)
                reviewer = people[(i + 1) % len(people)]
                if exercise.mode == "allocated":
                    db.session.add(ReviewAllocation(cohort_id=cohort.id, exercise_id=exercise.id,
                                                    response_id=response.id, reviewer_id=reviewer.id,
                                                    author_id=person.id))
                db.session.commit()
                give(db, cohort, response, reviewer)
        client.get(url(cohort))
        with count_queries() as n:
            html = client.get(url(cohort)).get_data(as_text=True)
        assert html.count('<th scope="row">') == size
        measured.append(n())
    assert measured[0] == measured[1] == measured[2] <= 10, measured


def test_a_cell_leads_to_the_facilitators_actions_on_the_response(app, db, course, long_ago, cohort, learner,
                                                                  peer, facilitator):
    """From a cell: the response page, where facilitators give their own feedback, reopen the response and
    hide feedback (the actions live there; the overview only links to them)."""
    exercise = add_exercise(course, 1, mode="open")
    mine = add_response(cohort, exercise, learner)
    give(db, cohort, mine, peer)
    client = signed_in(app, facilitator)
    html = client.get(url(cohort)).get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)">shared<span class="visually-hidden"> by Lee Learner', html).group(1)
    page = client.get(link).get_data(as_text=True)
    for action in (f"responses/{mine.id}/feedback", f"responses/{mine.id}/reopen", "/hide"):
        assert action in page, action
