"""A learner's own progress: their figures only, released outcomes only; anyone else's is a 404."""
from __future__ import annotations

from portal.dashboard.activity import Counts
from portal.dashboard.progress import learner_place, load_progress
from tests.conftest import login


def test_the_figures_of_one_learner(app, known):
    p = load_progress(learner_place(known.cohort.id, known.lee.id)[0])
    assert [(s.number, s.attendance) for s in p.sessions] == [(1, "Attended"), (2, "Attended"), (3, "Not recorded")]
    assert [s.counts for s in p.sessions] == [Counts(1, 2, 0, 0, 0), Counts(1, 1, 1, 1, 1), Counts()]
    assert (p.attended, p.general_posts) == (2, 1)
    assert (p.totals.posted, p.totals.responded, p.totals.feedback, p.totals.received) == (4, 1, 1, 1)


def test_only_released_outcomes_are_shown(app, client, known, db):
    from portal.assignments.content import all_assignments

    essay = all_assignments()[0]
    from sqlalchemy import update

    from portal.assignments.models import Marking, Submission
    db.session.execute(update(Submission).values(assignment_slug=essay.slug))
    db.session.commit()
    pat = {a.title: a for a in load_progress(learner_place(known.cohort.id, known.pat.id)[0]).assignments}
    assert pat[essay.title].outcome == "Meets the criteria" and pat[essay.title].handed_in == 1
    db.session.execute(update(Marking).values(state="awaiting moderation", released_at=None))
    db.session.commit()
    pat = {a.title: a for a in load_progress(learner_place(known.cohort.id, known.pat.id)[0]).assignments}
    assert pat[essay.title].outcome is None
    login(client, known.pat.email)
    body = client.get(f"/cohorts/{known.cohort.id}/my-progress").get_data(as_text=True)
    assert "Meets the criteria" not in body and "Feedback is on its way" in body


def test_my_progress_page(app, client, known):
    login(client, known.lee.email)
    response = client.get(f"/cohorts/{known.cohort.id}/my-progress")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<h1>My progress</h1>" in body
    assert "Feedback received: 1" in body and "Pat Peer" not in body
    assert "A private worry" not in body


def test_a_learner_asking_for_anyone_elses_progress_gets_404(app, client, known, outsider):
    login(client, known.lee.email)
    c = f"/cohorts/{known.cohort.id}"
    assert client.get(f"{c}/progress/{known.pat.id}").status_code == 404
    assert client.get(f"{c}/progress/{known.facilitator.id}").status_code == 404
    assert client.get(f"{c}/progress/{outsider.id}").status_code == 404
    assert client.get(f"{c}/progress/99999999").status_code == 404
    own = client.get(f"{c}/progress/{known.lee.id}")
    assert own.status_code == 302 and own.headers["Location"].endswith("/my-progress")


def test_facilitators_see_a_learner_of_their_cohort_only(app, client, known, outsider):
    login(client, known.facilitator.email)
    c = f"/cohorts/{known.cohort.id}"
    page = client.get(f"{c}/progress/{known.pat.id}")
    assert page.status_code == 200 and "Pat Peer&#39;s progress" in page.get_data(as_text=True)
    assert client.get(f"{c}/progress/{outsider.id}").status_code == 404  # a learner of another cohort
    assert client.get(f"{c}/progress/{known.facilitator.id}", follow_redirects=True).status_code == 404  # own: none
    assert client.get(f"{c}/progress/0").status_code == 404
    assert client.get(f"{c}/progress/abc").status_code == 404
    assert client.get(f"{c}/progress/{'9' * 40}").status_code == 404
    assert client.get(f"{c}/my-progress").status_code == 404  # facilitators have no progress of their own
