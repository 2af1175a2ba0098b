"""The dashboard's figures against a known cohort (conftest.py): exact numbers per learner and session."""
from __future__ import annotations

import re

from portal.dashboard.activity import Counts
from portal.dashboard.queries import load_dashboard


def _grid(d, user):
    return [d.activity.cell(user.id, sid) for sid in (s.session.id for s in d.slots)]


def test_each_learner_in_each_session(app, known):
    d = load_dashboard(known.cohort.id)
    assert [m.name for m in d.members] == ["Lee Learner", "Pat Peer", "Quinn Quiet"]
    assert _grid(d, known.lee) == [Counts(1, 2, 0, 0), Counts(1, 1, 1, 1), Counts()]
    assert _grid(d, known.pat) == [Counts(0, 1, 1, 0), Counts(0, 0, 1, 1), Counts()]
    assert _grid(d, known.quinn) == [Counts(), Counts(), Counts()]
    assert d.activity.cell(known.lee.id, None).posted == 1  # the general space
    assert known.facilitator.id not in {m.user_id for m in d.members}


def test_what_is_waiting(app, known):
    w = load_dashboard(known.cohort.id).waiting
    assert (w.held, w.flagged, w.follow_ups, w.to_mark) == (1, 1, 1, 1)
    assert (w.reviews_overdue, w.reviewers_overdue) == (1, ["Lee Learner"])
    assert w.not_accepted == ["Quinn Quiet"]


def test_quiet_learners_and_sessions(app, known):
    d = load_dashboard(known.cohort.id)
    assert [m.name for m in d.quiet] == ["Pat Peer", "Quinn Quiet"]
    assert d.quiet_days == 14
    assert [s.number for s in d.held_sessions] == [1, 2]
    assert [s.number for s in d.to_come] == [3] and d.released == []


def test_quiet_days_is_a_setting(app, known):
    app.config["QUIET_DAYS"] = 30  # Pat's activity 20 days ago now counts
    try:
        assert [m.name for m in load_dashboard(known.cohort.id).quiet] == ["Quinn Quiet"]
        app.config["QUIET_DAYS"] = "nonsense"
        assert load_dashboard(known.cohort.id).quiet_days == 14
    finally:
        app.config.pop("QUIET_DAYS")


def test_the_page_draws_the_grid_and_its_table_with_the_same_figures(app, client, auth, known):
    auth.login(known.facilitator)
    body = client.get(f"/cohorts/{known.cohort.id}/dashboard").get_data(as_text=True)
    svg = re.search(r"<svg[^>]*>.*?</svg>", body, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="grid-title"' in svg and 'aria-describedby="grid-desc"' in svg
    assert re.search(r'<title id="grid-title">Activity of each learner in each session of Cohort North</title>', svg)
    assert '<desc id="grid-desc">' in svg
    drawn = {}
    kinds = {"A": 0, "P": 1, "R": 2, "F": 3}
    for member, number, inner in re.findall(r'<g data-member="(\d+)" data-session="(\d+)">(.*?)</g>', svg, re.S):
        figures = [0, 0, 0, 0]
        for kind, letter, n in re.findall(r'<use href="#mark-(\w+)"[^>]*/><text[^>]*>([APRF])(\d*)</text>', inner):
            assert kind == {"A": "attended", "P": "posted", "R": "responded", "F": "feedback"}[letter]
            figures[kinds[letter]] = int(n or 1)
        drawn[(member, number)] = tuple(figures)

    def words(text):  # "attended; 2 posts; 0 responses; 1 feedback" or "–"
        if text == "–":
            return (0, 0, 0, 0)
        attended = int(text.startswith("attended; "))
        posts, responses, feedback = (int(n) for n in re.findall(r"(\d+) (?:posts?|responses?|feedback)", text))
        return (attended, posts, responses, feedback)
    table = {tuple(cell.split("-")): words(text) for cell, text in re.findall(
        r'<td data-label="[^"]*" data-cell="(\d+-\d+)">([^<]*)</td>', body)}
    assert drawn and drawn == table
    assert len(drawn) == 3 * 3
    assert drawn[(str(known.lee.id), "2")] == (1, 1, 1, 1)
    assert drawn[(str(known.pat.id), "1")] == (0, 1, 1, 0)
    assert "<caption" in body and 'scope="row"' in body and 'scope="col"' in body


def test_nothing_private_is_shown(app, client, auth, known):
    auth.login(known.facilitator)
    body = client.get(f"/cohorts/{known.cohort.id}/dashboard").get_data(as_text=True)
    assert "A private worry" not in body and "Private details" not in body
    assert "1 safeguarding follow-up due" in body
    assert f"/check-ins/{known.quinn.id}" in body and f"/check-ins/{known.pat.id}" in body
    assert f"/check-ins/{known.lee.id}" not in body
