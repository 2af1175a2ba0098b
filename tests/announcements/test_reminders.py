"""Reminding members who have not accepted the current group agreement: a confirmation naming them, one
notification each (portal and email under preferences), at most once a day, audited."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from portal.agreements.services import update_ground_rules
from portal.announcements import reminders
from portal.audit.models import AuditEvent
from portal.dates import utcnow
from portal.notifications import fanout
from portal.notifications import services as notify_services
from portal.notifications.models import NotificationEvent
from tests.conftest import login, post
from tests.notifications.conftest import mails_to, notes_of


def _people(make_user, enrol, cohort):
    waiting = make_user(name="Nat Notyet")
    enrol(waiting, cohort, accepted=False)
    return waiting


def test_the_confirmation_names_who_will_be_reminded_and_the_press_tells_only_them(
        app, db, cohort, facilitator, learner, outsider, make_user, enrol):
    waiting = _people(make_user, enrol, cohort)
    paused = make_user(name="Pia Paused")
    enrol(paused, cohort, status="suspended", accepted=False)
    client = app.test_client()
    login(client, facilitator.email)
    assert "Remind them" in client.get(f"/cohorts/{cohort.id}/manage/agreement").get_data(as_text=True)
    page = client.get(f"/cohorts/{cohort.id}/manage/agreement/remind").get_data(as_text=True)
    assert "Nat Notyet" in page and "Lee Learner" not in page and "Pia Paused" not in page
    assert "Send the reminder to 1 person" in page
    sent = post(client, f"/cohorts/{cohort.id}/manage/agreement/remind")
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/manage/agreement")
    fanout.sweep()
    note, = notes_of(db, waiting)
    assert note.kind == "agreement_reminder"
    assert notes_of(db, learner) == [] and notes_of(db, outsider) == [] and notes_of(db, paused) == []
    mail, = mails_to(db, waiting)
    assert mail.subject == ("A reminder from your facilitators: please read and accept the group agreement of "
                            "Cohort North")
    assert "List-Unsubscribe" in mail.headers
    action = db.session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "agreement.reminded")).one()
    assert action == "1 person reminded"
    reader = app.test_client()
    login(reader, waiting.email)
    assert reader.get(f"/notifications/{note.id}").headers["Location"].endswith(f"/cohorts/{cohort.id}/agreement")


def test_a_second_press_within_a_day_says_warmly_when_the_last_went(app, db, cohort, facilitator, make_user, enrol):
    waiting = _people(make_user, enrol, cohort)
    client = app.test_client()
    login(client, facilitator.email)
    post(client, f"/cohorts/{cohort.id}/manage/agreement/remind")
    again = post(client, f"/cohorts/{cohort.id}/manage/agreement/remind", follow_redirects=True)
    assert "A reminder was already sent on" in again.get_data(as_text=True)
    page = client.get(f"/cohorts/{cohort.id}/manage/agreement/remind").get_data(as_text=True)
    assert "A reminder was already sent on" in page and "Send the reminder" not in page
    fanout.sweep()
    assert len(notes_of(db, waiting)) == 1
    assert db.session.query(AuditEvent).filter_by(action="agreement.reminded").count() == 1
    # A day later, another may go.
    db.session.execute(update(NotificationEvent).values(created_at=utcnow() - timedelta(hours=25)))
    db.session.commit()
    assert reminders.remind_agreement(facilitator, cohort) == 1


def test_nobody_to_remind_sends_nothing(app, db, cohort, facilitator, learner):
    client = app.test_client()
    login(client, facilitator.email)
    assert "There is nobody to remind" in client.get(
        f"/cohorts/{cohort.id}/manage/agreement/remind").get_data(as_text=True)
    answer = post(client, f"/cohorts/{cohort.id}/manage/agreement/remind", follow_redirects=True)
    assert "nobody to remind" in answer.get_data(as_text=True)
    assert db.session.query(NotificationEvent).count() == 0


def test_after_a_change_to_the_ground_rules_everyone_who_must_accept_again_is_reminded(
        db, cohort, facilitator, learner, peer):
    update_ground_rules(facilitator, cohort, "Be kind to each other.")
    assert {name for _id, name in reminders.not_yet_accepted(cohort.id, facilitator.id)} == {"Lee Learner",
                                                                                            "Pat Peer"}
    notify_services.save_preferences(peer.id, {"agreement_reminder": "off"}, include_words=False)
    assert reminders.remind_agreement(facilitator, cohort) == 2
    fanout.sweep()
    assert len(mails_to(db, learner)) == 1 and mails_to(db, peer) == []  # off: in the portal only
    assert [n.kind for n in notes_of(db, peer)] == ["agreement_reminder"]


def test_learners_and_other_cohorts_cannot_remind(app, db, cohort, learner, make_user, enrol, assert_isolated):
    _people(make_user, enrol, cohort)
    client = app.test_client()
    login(client, learner.email)
    assert client.get(f"/cohorts/{cohort.id}/manage/agreement/remind").status_code == 404
    assert post(client, f"/cohorts/{cohort.id}/manage/agreement/remind").status_code == 404
    assert_isolated(f"/cohorts/{cohort.id}/manage/agreement/remind")
    assert_isolated(f"/cohorts/{cohort.id}/manage/agreement/remind", "POST")
    assert db.session.query(NotificationEvent).count() == 0
