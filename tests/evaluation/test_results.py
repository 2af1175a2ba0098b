"""Results: totals only, and nothing at all for a slice fewer than the threshold have answered: on the page,
in the CSV and in the site admins' comparison alike."""
from __future__ import annotations

import csv
import io

import pytest

from portal.config import ConfigError
from tests.conftest import login
from tests.evaluation.factories import answer


def _results_url(cohort, form, number=1):
    return f"/cohorts/{cohort.id}/evaluation/sessions/{number}/forms/{form.id}/results"


def _fill(cohort, form, people, secret="Secret words"):
    for n, person in enumerate(people):
        answer(cohort, form, person, useful=n % 4, pace=1, keep=f"{secret} {n}")


def _views(app, cohort, form, facilitator, site_admin):
    """Every place results are shown: the page, the CSV and the comparison."""
    fac, admin = app.test_client(), app.test_client()
    login(fac, facilitator.email)
    login(admin, site_admin.email)
    return {"page": fac.get(_results_url(cohort, form)).get_data(as_text=True),
            "list": fac.get(f"/cohorts/{cohort.id}/evaluation/").get_data(as_text=True),
            "csv": fac.get(f"/cohorts/{cohort.id}/evaluation/results.csv").get_data(as_text=True),
            "compare": admin.get(f"/admin/evaluation/?form={form.id}&session=1").get_data(as_text=True)}


def test_below_the_threshold_nothing_shows_anywhere(app, db, opened, form, learners, facilitator, site_admin):
    _fill(opened, form, learners[:4])
    views = _views(app, opened, form, facilitator, site_admin)
    for name, body in views.items():
        assert "Secret words" not in body, name
    assert "Results appear once at least 5 people" in views["page"]
    assert "<svg" not in views["page"] and "A little useful" not in views["page"]
    assert "Fewer than 5 so far" in views["list"]
    rows = list(csv.reader(io.StringIO(views["csv"].lstrip("\ufeff"))))
    assert rows[1][3] == "Fewer than 5 people have answered: not shown" and len(rows) == 2
    assert "fewer than 5 people have answered" in views["compare"] and "Cohort North" in views["compare"]
    assert "All cohorts shown" not in views["compare"]


def test_at_the_threshold_totals_and_shuffled_text_show(app, db, opened, form, learners, facilitator, site_admin):
    _fill(opened, form, learners[:5])
    views = _views(app, opened, form, facilitator, site_admin)
    page = views["page"]
    assert "5 people answered" in page
    assert 'role="img"' in page and 'aria-labelledby="chart-' in page
    assert "How useful was it?: Not useful, 2 people; A little useful, 1 person; Useful, 1 person; " \
           "Very useful, 1 person" in page
    assert all(f"Secret words {n}" in page for n in range(5))
    rows = list(csv.reader(io.StringIO(views["csv"].lstrip("\ufeff"))))
    assert ["1", "How was this session?", "How useful was it?", "Not useful", "2"] in rows
    assert sorted(r[3] for r in rows if r[3].startswith("Secret")) == [f"Secret words {n}" for n in range(5)]
    assert "All cohorts shown" in views["compare"] and "Secret words" not in views["compare"]


def test_written_answers_come_in_a_fresh_random_order(app, db, opened, form, learners, facilitator):
    _fill(opened, form, learners)
    client = app.test_client()
    login(client, facilitator.email)
    orders = set()
    for _ in range(12):
        page = client.get(_results_url(opened, form)).get_data(as_text=True)
        orders.add(tuple(sorted(range(6), key=lambda n: page.index(f"Secret words {n}"))))
    assert len(orders) > 1  # 720 orders: twelve equal draws would happen once in ~10^31


def test_the_comparison_holds_every_cohort_to_the_threshold(app, db, opened, other_cohort, form, learners,
                                                            make_user, enrol, site_admin, timetable):
    from datetime import timedelta

    from portal.dates import local_today
    timetable(other_cohort)[0].day = local_today() - timedelta(days=1)
    db.session.commit()
    _fill(opened, form, learners[:5])
    few = []
    for n in range(3):
        few.append(make_user(f"south{n}@example.org"))
        enrol(few[-1], other_cohort)
    for person in few:
        answer(other_cohort, form, person, useful=3, pace=2)  # "Too fast" only from the hidden cohort
    client = app.test_client()
    login(client, site_admin.email)
    page = client.get(f"/admin/evaluation/?form={form.id}&session=1").get_data(as_text=True)
    assert "Not shown: 1 cohort where fewer than 5" in page and "Cohort South" in page
    # the total adds up the shown cohort only: the hidden one's three "Too fast" can't be worked out
    assert "How was the pace? (all cohorts shown): Too slow, 0 people; About right, 5 people; Too fast, 0 people" \
        in page


def test_the_results_page_runs_a_fixed_number_of_queries(app, db, opened, form, learners, facilitator,
                                                         count_queries):
    client = app.test_client()
    login(client, facilitator.email)
    _fill(opened, form, learners[:5])
    with count_queries() as small:
        assert client.get(_results_url(opened, form)).status_code == 200
    _fill(opened, form, [])
    from tests.evaluation.factories import answer as give
    give(opened, form, learners[5], useful=1, keep="more")
    with count_queries() as large:
        client.get(_results_url(opened, form))
    assert small() == large() <= 10


@pytest.mark.parametrize("value", [2, 0, -5, "5", 2.5, True])
def test_the_threshold_is_never_below_three(fresh_app, value):
    with pytest.raises(ConfigError, match="at least 3"):
        fresh_app(EVALUATION_MIN_ANSWERS=value)


def test_a_higher_threshold_is_kept(app, db, opened, form, learners, facilitator, monkeypatch):
    assert fresh_threshold(monkeypatch, app, 6, opened, form, learners[:5], facilitator)


def fresh_threshold(monkeypatch, app, least, cohort, form, people, facilitator) -> bool:
    monkeypatch.setitem(app.config, "EVALUATION_MIN_ANSWERS", least)
    _fill(cohort, form, people)
    client = app.test_client()
    login(client, facilitator.email)
    return "Results appear once at least 6 people" in client.get(_results_url(cohort, form)).get_data(as_text=True)


def test_the_csv_is_formula_safe_and_shuffles_written_answers(app, db, opened, form, learners, facilitator):
    for n, person in enumerate(learners):
        answer(opened, form, person, useful=1, keep=f"=HYPERLINK(\"http://x\") {n}" if n == 0 else f"Thought {n}")
    client = app.test_client()
    login(client, facilitator.email)
    orders = set()
    for _ in range(12):
        response = client.get(f"/cohorts/{opened.id}/evaluation/results.csv")
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert response.headers["Cache-Control"] == "no-store"
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
        texts = [r[3] for r in rows if r[2] == "One thing to keep"]
        assert "'=HYPERLINK(\"http://x\") 0" in texts
        orders.add(tuple(texts))
    assert len(orders) > 1
