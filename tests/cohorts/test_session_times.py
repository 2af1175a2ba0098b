"""A session's date and time are kept apart: a missing time reads "time to be confirmed" everywhere, never
"12am", and clearing a date keeps the time that was typed."""
from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from portal.attendance import services as attendance
from portal.cohorts.models import CohortSession
from portal.dates import local_today
from tests.conftest import login, post


def url(cohort, path=""):
    return f"/cohorts/{cohort.id}/{path}"


@pytest.fixture
def dated_not_timed(db, cohort, timetable):
    """Session 1 today and session 2 next week, both with a date but no time yet."""
    first, second, _ = timetable(cohort)
    first.day, first.start_time = local_today(), None
    second.day, second.start_time = local_today() + timedelta(days=7), None
    db.session.commit()
    return first, second


def _pages(app, cohort, learner, facilitator):
    as_learner, as_facilitator = app.test_client(), app.test_client()
    login(as_learner, learner.email)
    login(as_facilitator, facilitator.email)
    return {
        "learner home": as_learner.get("/home"),
        "cohort home": as_learner.get(url(cohort)),
        "session page": as_learner.get(url(cohort, "sessions/1")),
        "my attendance": as_learner.get(url(cohort, "my-attendance")),
        "attendance": as_facilitator.get(url(cohort, "attendance")),
        "register": as_facilitator.get(url(cohort, "attendance/1")),
    }


def test_a_date_without_a_time_never_reads_as_midnight(app, cohort, learner, facilitator, dated_not_timed):
    for name, response in _pages(app, cohort, learner, facilitator).items():
        body = response.get_data(as_text=True)
        assert response.status_code == 200, name
        assert "12am" not in body, name
        assert "time to be confirmed" in body, name


def test_a_time_shows_as_people_say_it(app, db, cohort, learner, facilitator, dated_not_timed):
    first, second = dated_not_timed
    second.start_time = time(18, 30)
    db.session.commit()
    as_learner = app.test_client()
    login(as_learner, learner.email)
    body = as_learner.get(url(cohort)).get_data(as_text=True)
    assert "6:30pm" in body
    assert f'<time datetime="{second.day.isoformat()}T18:30' in body


def test_clearing_a_date_keeps_its_time(client, auth, facilitator, cohort, timetable, db):
    auth.login(facilitator)
    entries = timetable(cohort)
    form = {"rows-0-entry_id": entries[0].id, "rows-0-day": "2027-03-02", "rows-0-at": "18:00", "rows-0-location": ""}
    assert post(client, url(cohort, "manage/timetable"), form).status_code == 302
    form["rows-0-day"] = ""
    assert post(client, url(cohort, "manage/timetable"), form).status_code == 302
    db.session.expire_all()
    entry = db.session.get(CohortSession, entries[0].id)
    assert (entry.day, entry.start_time) == (None, time(18, 0))
    body = client.get(url(cohort, "manage/timetable")).get_data(as_text=True)
    assert 'name="rows-0-at" type="time" value="18:00"' in body


def test_a_time_without_a_date_is_still_shown(app, db, cohort, learner, timetable):
    timetable(cohort)[2].start_time = time(18, 0)
    db.session.commit()
    client = app.test_client()
    login(client, learner.email)
    assert "Date to be confirmed, 6pm" in client.get(url(cohort)).get_data(as_text=True)


def test_today_without_a_time_is_the_next_session(app, cohort, learner, dated_not_timed):
    client = app.test_client()
    login(client, learner.email)
    body = client.get("/home").get_data(as_text=True)
    assert "Next session:</strong> 1." in body


def test_a_session_dated_today_is_open_and_recordable(app, db, cohort, facilitator, learner, dated_not_timed):
    from tests.attendance.conftest import membership_of
    first, _ = dated_not_timed
    lee = membership_of(db, learner, cohort)
    assert attendance.record_attendance(facilitator, cohort, first, {lee.id: "present"}) == 1
    assert first.day == date.today() or first.day == local_today()


@pytest.mark.filterwarnings("ignore:autogenerate skipping", "ignore:Skipped unsupported reflection")
def test_the_migration_splits_stored_times_and_keeps_them(fresh_app, tmp_path):
    """Times stored as one UTC datetime become the course's local date and time; the midnight that an empty
    time used to be saved as becomes "no time yet"."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text as sql

    from portal.extensions import db
    from tests.conftest import empty_database_url

    app = fresh_app(DATABASE_URL=empty_database_url(tmp_path, "splittime"), TIMEZONE="Europe/London")
    with app.app_context():
        upgrade(revision="0006")
        with db.engine.begin() as conn:
            conn.execute(sql("INSERT INTO courses (id, slug, title, summary, intro_source, intro_html, updated_at) "
                             "VALUES (1, 'c', 'C', 'S', 'i', 'i', '2026-01-01 00:00:00')"))
            for n in range(1, 5):
                conn.execute(sql(
                    "INSERT INTO course_sessions (id, course_id, number, slug, title, summary, aims, key_concepts, "
                    "discussion_prompts, body_source, body_html, updated_at) VALUES "
                    f"({n}, 1, {n}, 's{n}', 'T', 'S', '[]', '[]', '[]', 'b', 'b', '2026-01-01 00:00:00')"))
            conn.execute(sql("INSERT INTO cohorts (id, course_id, name, status, created_at) "
                             "VALUES (1, 1, 'K', 'running', '2026-01-01 00:00:00')"))
            stored = ["'2027-03-02 18:00:00'", "'2027-07-06 17:00:00'", "'2027-03-09 00:00:00'", "NULL"]
            for n, starts in enumerate(stored, start=1):
                conn.execute(sql("INSERT INTO cohort_sessions (id, cohort_id, course_session_id, starts_at, location) "
                                 f"VALUES ({n}, 1, {n}, {starts}, 'Room {n}')"))
        upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(sql("SELECT day, start_time, location FROM cohort_sessions ORDER BY id")).all()
        as_text = [(str(d) if d else None, str(t)[:5] if t else None, place) for d, t, place in rows]
        assert as_text == [("2027-03-02", "18:00", "Room 1"), ("2027-07-06", "18:00", "Room 2"),
                           ("2027-03-09", None, "Room 3"), (None, None, "Room 4")]
        downgrade(revision="0006")
        with db.engine.connect() as conn:
            back = conn.execute(sql("SELECT starts_at FROM cohort_sessions ORDER BY id")).scalars().all()
        assert [str(v)[:16] if v else None for v in back] == [
            "2027-03-02 18:00", "2027-07-06 17:00", "2027-03-09 00:00", None]
        db.engine.dispose()
