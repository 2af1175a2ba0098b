"""Timetable changes and early releases announce themselves, clearly worded, without spamming."""
from __future__ import annotations

from datetime import time, timedelta

from portal.cohorts import services as cohort_services
from portal.cohorts.services import TimetableEntry
from portal.dates import local_today
from portal.notifications import fanout, mailer
from portal.notifications.kinds import sentence
from portal.notifications.subjects import describe
from tests.conftest import login, post
from tests.notifications.conftest import mails_to, notes_of


def _save(cohort, timetable, actor, **changes):
    """Save the timetable with session number -> (day, time) changed."""
    entries = [TimetableEntry(e.id, e.day, e.start_time, e.location) for e in timetable(cohort)]
    for number, (day, at) in changes.items():
        entries[int(number[1:]) - 1].day, entries[int(number[1:]) - 1].at = day, at
    cohort_services.save_timetable(cohort, entries, actor.id)
    fanout.sweep()


def _text(note) -> str:
    return sentence(note.kind, describe([note]).get((note.subject_kind, note.subject_id)))


def test_moving_a_dated_session_tells_the_members_its_new_date(db, cohort, timetable, facilitator, learner, outsider,
                                                               make_user, enrol):
    soon = local_today() + timedelta(days=10)
    _save(cohort, timetable, facilitator, s2=(soon, time(18, 0)))  # a first date is planning, not news
    assert notes_of(db, learner) == []
    notyet = make_user(name="Nat Notyet")
    enrol(notyet, cohort, accepted=False)
    later = soon + timedelta(days=7)
    _save(cohort, timetable, facilitator, s2=(later, time(18, 0)))
    note, = notes_of(db, learner)
    assert note.kind == "timetable_changed"
    text = _text(note)
    assert text.startswith("Timetable change: Session 2 (What is recovery?) is now on ") and "6pm" in text
    assert later.strftime("%B") in text
    mail, = mails_to(db, learner)
    assert mail.subject == text and "List-Unsubscribe" in mail.headers
    assert notes_of(db, outsider) == [] and notes_of(db, facilitator) == [] and notes_of(db, notyet) == []


def test_quick_corrections_leave_one_unread_notice_that_reads_the_newest_date(db, cohort, timetable, facilitator,
                                                                               learner):
    day = local_today() + timedelta(days=10)
    _save(cohort, timetable, facilitator, s3=(day, time(18, 0)))
    for hour in (17, 19, 20):
        _save(cohort, timetable, facilitator, s3=(day, time(hour, 0)))
    note, = notes_of(db, learner)
    assert "8pm" in _text(note)
    _save(cohort, timetable, facilitator, s3=(None, None))
    note, = notes_of(db, learner)
    assert _text(note) == "Timetable change: Session 3 (Peer support) no longer has a date: it is to be confirmed"


def test_a_read_notice_stays_and_a_new_change_comes_as_a_new_one(app, db, cohort, timetable, facilitator, learner):
    day = local_today() + timedelta(days=10)
    _save(cohort, timetable, facilitator, s2=(day, time(18, 0)))
    _save(cohort, timetable, facilitator, s2=(day, time(19, 0)))
    client = app.test_client()
    login(client, learner.email)
    post(client, "/notifications/read")
    _save(cohort, timetable, facilitator, s2=(day + timedelta(days=1), time(19, 0)))
    assert len(notes_of(db, learner)) == 2


def test_saving_without_changes_or_correcting_the_past_says_nothing(db, cohort, timetable, facilitator, learner):
    past = local_today() - timedelta(days=20)
    _save(cohort, timetable, facilitator, s1=(past, time(18, 0)))
    _save(cohort, timetable, facilitator, s1=(past, time(18, 0)))
    _save(cohort, timetable, facilitator, s1=(past - timedelta(days=1), time(18, 0)))
    assert notes_of(db, learner) == []


def test_the_timetable_page_records_the_change_with_its_facilitator(app, db, cohort, timetable, facilitator,
                                                                    learner):
    day = local_today() + timedelta(days=5)
    rows = timetable(cohort)
    rows[0].day, rows[0].start_time = day, time(18, 0)
    db.session.commit()
    client = app.test_client()
    login(client, facilitator.email)
    data = {}
    for i, e in enumerate(timetable(cohort)):
        data.update({f"rows-{i}-entry_id": e.id, f"rows-{i}-day": e.day.isoformat() if e.day else "",
                     f"rows-{i}-at": e.start_time.strftime("%H:%M") if e.start_time else "",
                     f"rows-{i}-location": e.location or ""})
    data["rows-0-at"] = "19:30"
    assert post(client, f"/cohorts/{cohort.id}/manage/timetable", data).status_code == 302
    fanout.sweep()
    note, = notes_of(db, learner)
    assert note.actor_id == facilitator.id and "7:30pm" in _text(note)


def test_an_early_release_says_it_opened_early(db, cohort, timetable, facilitator, learner, outsider):
    entry = timetable(cohort)[1]
    entry.day = local_today() + timedelta(days=7)
    db.session.commit()
    cohort_services.release_session(entry, facilitator.id)
    fanout.sweep()
    note, = notes_of(db, learner)
    assert _text(note) == "Session 2: What is recovery? is open early"
    assert mailer.digest("daily") == 1  # "a new session opens" comes in the daily digest by default
    mail, = mails_to(db, learner)
    assert "Session 2: What is recovery? is open early" in mail.body
    assert notes_of(db, outsider) == []


def test_a_session_opening_on_its_day_is_not_called_early(db, cohort, timetable, learner):
    from portal.notifications import releases

    entry = timetable(cohort)[0]
    entry.day = local_today()
    db.session.commit()
    releases.record_opened_sessions()
    fanout.sweep()
    note, = notes_of(db, learner)
    assert _text(note) == "Session 1: Getting started is open"
