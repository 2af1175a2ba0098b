"""The facilitators' CSV downloads: the known figures, hostile names disarmed, a huge field cut, BOM first."""
from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import update

from portal.auth.models import User
from portal.dashboard import exports
from portal.dashboard.members import Member
from tests.conftest import login


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def _get(app, known, name):
    client = app.test_client()
    login(client, known.facilitator.email)
    return _rows(client.get(f"/cohorts/{known.cohort.id}/dashboard/{name}.csv"))


def test_attendance(app, known):
    rows = _get(app, known, "attendance")
    assert rows[0] == ["Learner", "Session 1", "Session 2", "Session 3", "Sessions attended"]
    assert rows[1:] == [["Lee Learner", "present", "present", "not recorded", "2"],
                        ["Pat Peer", "absent", "sent apologies", "not recorded", "0"],
                        ["Quinn Quiet", "not recorded", "not recorded", "not recorded", "0"]]


def test_participation(app, known):
    rows = _get(app, known, "participation")
    assert rows[0][:4] == ["Learner", "Session 1 posts", "Session 1 responses", "Session 1 feedback given"]
    assert rows[0][-4:] == ["General posts", "Total posts", "Total responses", "Total feedback given"]
    assert rows[1] == ["Lee Learner", "2", "0", "0", "1", "1", "1", "0", "0", "0", "1", "4", "1", "1"]
    assert rows[2] == ["Pat Peer", "1", "1", "0", "0", "1", "1", "0", "0", "0", "0", "1", "2", "1"]


def test_assignment_status(app, known, db):
    from portal.assignments.content import all_assignments
    from portal.assignments.models import Submission

    first = all_assignments()[0]
    db.session.execute(update(Submission).values(assignment_slug=first.slug))
    db.session.commit()
    rows = _get(app, known, "assignments")
    assert rows[0] == ["Learner", "Assignment", "Status", "Versions handed in", "Last handed in", "Extended to",
                       "Outcome", "Outcome released"]
    mine = {(r[0], r[1]): r for r in rows[1:]}
    assert mine[("Lee Learner", first.title)][2:4] == ["submitted", "1"]
    assert mine[("Pat Peer", first.title)][6:] == ["Meets the criteria", "yes"]
    assert mine[("Lee Learner", first.title)][6:] == ["", "no"]
    assert len(rows) == 1 + 3 * len(all_assignments())


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\tTabbed",
                                  "\rReturn"])
def test_hostile_names_are_disarmed_in_every_download(app, known, db, name):
    db.session.execute(update(User).where(User.id == known.lee.id).values(display_name=name))
    db.session.commit()
    for kind in ("attendance", "participation", "assignments"):
        cells = [c for row in _get(app, known, kind) for c in row]
        assert "'" + name in cells, kind
        assert name not in cells, kind


def test_a_field_of_100000_characters_is_cut_not_refused(app, known, monkeypatch):
    huge = "=" + "a" * 99_999
    real = exports.cohort_members

    def members(cohort_id):
        found, waiting = real(cohort_id)
        return [Member(m.user_id, huge if m.user_id == known.lee.id else m.name, m.paused, m.joined_at, m.accepted)
                for m in found], waiting

    monkeypatch.setattr(exports, "cohort_members", members)
    rows = _get(app, known, "participation")
    cell = rows[1][0]
    assert cell.startswith("'=aaa") and cell.endswith("[cut]") and len(cell) < 33_000


def test_a_hostile_cohort_name_is_a_safe_file_name(app, known, db):
    from portal.cohorts.models import Cohort

    db.session.execute(update(Cohort).where(Cohort.id == known.cohort.id).values(name='Evil"\r\nX-Header: 1/../é'))
    db.session.commit()
    client = app.test_client()
    login(client, known.facilitator.email)
    response = client.get(f"/cohorts/{known.cohort.id}/dashboard/attendance.csv")
    disposition = response.headers["Content-Disposition"]
    assert response.status_code == 200 and "\n" not in disposition and '"' not in disposition.split("''", 1)[1]
    assert "X-Header" not in response.headers
