"""Announcements: posted by facilitators, shown at the top of the cohort home until each member closes it, kept
on the cohort's list, withdrawn by facilitators; a notification to each active member, mailed under their
preferences, never to anyone outside the cohort."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from portal.announcements.models import Announcement, AnnouncementDismissal
from portal.audit.models import AuditEvent
from portal.notifications import fanout, mailer
from portal.notifications import services as notify_services
from tests.conftest import csrf_token, login, post
from tests.notifications.conftest import mails_to, notes_of


def _home(client, cohort) -> str:
    return client.get(f"/cohorts/{cohort.id}/").get_data(as_text=True)


def test_an_announcement_shows_on_the_cohort_home_of_every_member_until_they_close_it(
        app, db, cohort, learner, peer, facilitator, announce):
    row = announce(cohort, facilitator, "Room change for session 2", "We meet in **room B** this week.")
    client = app.test_client()
    login(client, learner.email)
    home = _home(client, cohort)
    assert "Room change for session 2" in home and "<strong>room B</strong>" in home
    assert "Announcement from Fran Facilitator" in home
    closed = post(client, f"/cohorts/{cohort.id}/announcements/{row.id}/dismiss")
    assert closed.status_code == 302 and closed.headers["Location"].endswith(f"/cohorts/{cohort.id}/")
    home = _home(client, cohort)
    assert "You can read it again under All announcements" in home  # the flash says where it went
    assert f'id="announcement-{row.id}"' not in home and "We meet in" not in home
    listed = client.get(f"/cohorts/{cohort.id}/announcements").get_data(as_text=True)
    assert "Room change for session 2" in listed and "you closed it on the home page" in listed
    assert post(client, f"/cohorts/{cohort.id}/announcements/{row.id}/dismiss").status_code == 302  # twice: same
    assert db.session.scalar(select(func.count()).select_from(AnnouncementDismissal)) == 1
    other = app.test_client()
    login(other, peer.email)
    assert "Room change for session 2" in _home(other, cohort)  # one person's closing is theirs alone


def test_facilitators_post_through_the_form_and_a_double_submit_posts_once(app, db, cohort, facilitator, learner):
    client = app.test_client()
    login(client, facilitator.email)
    page = client.get(f"/cohorts/{cohort.id}/announcements/new").get_data(as_text=True)
    token = re.search(r'name="client_token"[^>]*value="([^"]+)"', page).group(1)
    data = {"title": "Welcome", "body": "Glad you're here.", "client_token": token,
            "csrf_token": csrf_token(client, f"/cohorts/{cohort.id}/announcements/new")}
    first = client.post(f"/cohorts/{cohort.id}/announcements/new", data=data)
    second = client.post(f"/cohorts/{cohort.id}/announcements/new", data=data)
    assert first.status_code == second.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Announcement)) == 1
    audit = db.session.scalars(select(AuditEvent.action).where(AuditEvent.cohort_id == cohort.id)).all()
    assert audit.count("announcement.posted") == 1
    fanout.sweep()
    assert [n.kind for n in notes_of(db, learner)] == ["announcement"]
    assert notes_of(db, facilitator) == []  # nobody is told of what they did themselves


def test_too_long_or_empty_text_is_refused_warmly_and_kept(app, db, cohort, facilitator):
    client = app.test_client()
    login(client, facilitator.email)
    url = f"/cohorts/{cohort.id}/announcements/new"
    long_title = "T" * 121
    refused = post(client, url, {"title": long_title, "body": "Words I typed"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "A title can be up to 120 characters" in body and "Words I typed" in body and long_title in body
    assert "Error:" in body
    empty = post(client, url, {"title": "A title", "body": "   "})
    assert empty.status_code == 422 and "Write your announcement before posting it." in empty.get_data(as_text=True)
    huge = post(client, url, {"title": "A title", "body": "x" * 5001})
    assert huge.status_code == 422 and "up to 5,000 characters" in huge.get_data(as_text=True)
    no_csrf = client.post(url, data={"title": "A title", "body": "Words"})
    assert no_csrf.status_code in (400, 401)
    assert db.session.scalar(select(func.count()).select_from(Announcement)) == 0


def test_learners_cannot_post_or_withdraw(app, db, cohort, learner, facilitator, announce):
    row = announce(cohort, facilitator)
    client = app.test_client()
    login(client, learner.email)
    assert client.get(f"/cohorts/{cohort.id}/announcements/new").status_code == 404
    assert post(client, f"/cohorts/{cohort.id}/announcements/new", {"title": "Hi", "body": "Me"}).status_code == 404
    assert post(client, f"/cohorts/{cohort.id}/announcements/{row.id}/withdraw").status_code == 404
    assert db.session.get(Announcement, row.id).withdrawn_at is None


def test_outside_the_cohort_everything_is_not_found(cohort, facilitator, announce, assert_isolated):
    row = announce(cohort, facilitator)
    assert_isolated(f"/cohorts/{cohort.id}/announcements")
    assert_isolated(f"/cohorts/{cohort.id}/announcements/new")
    assert_isolated(f"/cohorts/{cohort.id}/announcements/new", "POST", {"title": "x", "body": "y"})
    assert_isolated(f"/cohorts/{cohort.id}/announcements/{row.id}/dismiss", "POST")
    assert_isolated(f"/cohorts/{cohort.id}/announcements/{row.id}/withdraw")
    assert_isolated(f"/cohorts/{cohort.id}/announcements/{row.id}/withdraw", "POST")


def test_forged_ids_and_another_cohorts_announcement_are_not_found(app, db, cohort, other_cohort, learner,
                                                                    facilitator, other_facilitator, announce):
    theirs = announce(other_cohort, other_facilitator, "Cohort South only", "Not for North")
    client = app.test_client()
    login(client, learner.email)
    for target in (theirs.id, 999999, "abc"):
        assert post(client, f"/cohorts/{cohort.id}/announcements/{target}/dismiss").status_code == 404
    login(client := app.test_client(), facilitator.email)
    assert client.get(f"/cohorts/{cohort.id}/announcements/{theirs.id}/withdraw").status_code == 404
    assert post(client, f"/cohorts/{cohort.id}/announcements/{theirs.id}/withdraw").status_code == 404
    assert db.session.get(Announcement, theirs.id).withdrawn_at is None
    assert "Cohort South only" not in client.get(f"/cohorts/{cohort.id}/announcements").get_data(as_text=True)


def test_a_member_of_another_cohort_never_sees_or_is_mailed_it(app, db, cohort, learner, facilitator, outsider,
                                                               other_facilitator, announce):
    announce(cohort, facilitator, "North's news", "Only for North")
    assert notes_of(db, outsider) == [] and mails_to(db, outsider) == []
    assert notes_of(db, other_facilitator) == [] and mails_to(db, other_facilitator) == []
    mailer.digest("daily")
    mailer.digest("weekly")
    assert mails_to(db, outsider) == []
    client = app.test_client()
    login(client, outsider.email)
    assert "North's news" not in client.get("/notifications").get_data(as_text=True)


def test_paused_left_and_removed_members_are_not_told(db, cohort, facilitator, learner, suspended, make_user, enrol,
                                                      announce):
    gone = make_user(name="Gone Person")
    enrol(gone, cohort, status="left")
    announce(cohort, facilitator)
    assert [n.kind for n in notes_of(db, learner)] == ["announcement"]
    assert notes_of(db, suspended) == [] and notes_of(db, gone) == []


def test_the_email_carries_the_title_the_facilitators_words_and_an_unsubscribe_link(app, db, cohort, learner,
                                                                                    facilitator, announce):
    announce(cohort, facilitator, "Room change", "We meet in room B.")
    mail, = mails_to(db, learner)
    assert mail.subject == "Fran Facilitator posted an announcement: “Room change”"
    assert "> We meet in room B." in mail.body  # the facilitators' words, to their own cohort
    header = mail.headers["List-Unsubscribe"]
    assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = header[len("<http://localhost"):-1]
    assert app.test_client().post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    modes, _ = notify_services.load_preferences(learner.id, False)
    assert modes["announcement"] == "off"
    announce(cohort, facilitator, "Second news", "More")
    assert len(mails_to(db, learner)) == 1  # off: listed in the portal, not mailed
    assert [n.kind for n in notes_of(db, learner)] == ["announcement", "announcement"]


def test_a_digest_reader_gets_it_in_the_digest(db, cohort, learner, facilitator, announce):
    notify_services.save_preferences(learner.id, {"announcement": "daily"}, include_words=False)
    announce(cohort, facilitator, "Digest news", "In the summary")
    assert mails_to(db, learner) == []
    assert mailer.digest("daily") == 1
    mail, = mails_to(db, learner)
    assert "Fran Facilitator posted an announcement: “Digest news”" in mail.body and "> In the summary" in mail.body


def test_withdrawn_it_is_neither_shown_nor_mailed_and_is_audited(app, db, cohort, learner, facilitator, announce):
    notify_services.save_preferences(learner.id, {"announcement": "daily"}, include_words=False)
    row = announce(cohort, facilitator, "Wrong date", "Oops")
    client = app.test_client()
    login(client, facilitator.email)
    page = client.get(f"/cohorts/{cohort.id}/announcements/{row.id}/withdraw").get_data(as_text=True)
    assert "Withdraw “Wrong date”?" in page
    assert post(client, f"/cohorts/{cohort.id}/announcements/{row.id}/withdraw").status_code == 302
    assert post(client, f"/cohorts/{cohort.id}/announcements/{row.id}/withdraw").status_code == 302  # again: fine
    assert client.get(f"/cohorts/{cohort.id}/announcements/{row.id}/withdraw").status_code == 404
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.cohort_id == cohort.id)).all()
    assert actions.count("announcement.withdrawn") == 1
    assert mailer.digest("daily") == 0 and mails_to(db, learner) == []
    reader = app.test_client()
    login(reader, learner.email)
    assert "Wrong date" not in _home(reader, cohort)
    assert "Wrong date" not in reader.get(f"/cohorts/{cohort.id}/announcements").get_data(as_text=True)
    assert "Wrong date" not in reader.get("/notifications").get_data(as_text=True)
    note, = notes_of(db, learner)
    assert reader.get(f"/notifications/{note.id}").status_code == 404
    assert post(reader, f"/cohorts/{cohort.id}/announcements/{row.id}/dismiss").status_code == 404


def test_opening_the_notification_goes_to_the_announcement(app, db, cohort, learner, facilitator, announce):
    row = announce(cohort, facilitator)
    note, = notes_of(db, learner)
    client = app.test_client()
    login(client, learner.email)
    opened = client.get(f"/notifications/{note.id}")
    assert opened.status_code == 302
    assert opened.headers["Location"].endswith(f"/cohorts/{cohort.id}/announcements#announcement-{row.id}")


def test_the_cohort_home_runs_one_more_query_at_most_however_many_announcements(
        app, db, cohort, learner, facilitator, announce, count_queries):
    client = app.test_client()
    login(client, learner.email)
    client.get(f"/cohorts/{cohort.id}/")  # a first visit skips the "new since" query

    def measure() -> tuple[int, int]:
        url = f"/cohorts/{cohort.id}/"
        with count_queries() as n:
            client.get(url)
        # The user loader's unread count also reads announcements (is each still visible?): not the banner's.
        return n(), sum("FROM announcements" in statement and "notifications" not in statement
                        for statement in n.statements)

    before = measure()
    announce(cohort, facilitator, "One")
    one = measure()
    for i in range(4):
        announce(cohort, facilitator, f"More {i}")
    many = measure()
    # The announcements cost one query, whether there are none, one or many (7 in all for a learner here).
    assert before == one == many and many[1] == 1 and many[0] <= 9
    assert "More 3" in _home(client, cohort)


def test_a_site_admin_must_open_the_cohort_to_post(app, db, cohort, facilitator, site_admin):
    client = app.test_client()
    login(client, site_admin.email)
    answer = client.get(f"/cohorts/{cohort.id}/announcements/new")
    assert answer.status_code == 403 and "open" in answer.get_data(as_text=True).lower()


def test_a_lost_session_keeps_the_announcement_and_gives_it_back_after_signing_in(app, db, cohort, facilitator):
    from portal.keep.rescue import _signer

    owner = _signer(app.secret_key).dumps(facilitator.id)
    client = app.test_client()
    url = f"/cohorts/{cohort.id}/announcements/new"
    lost = client.post(url, data={"title": "Words I must not lose", "body": "A long announcement",
                                  "keep_owner": owner, "csrf_token": csrf_token(client, "/login")})
    assert lost.status_code == 401 and "Words I must not lose" in lost.get_data(as_text=True)
    login(client, facilitator.email)
    again = client.get(url).get_data(as_text=True)
    assert "Words I must not lose" in again and "A long announcement" in again
    assert db.session.scalar(select(func.count()).select_from(Announcement)) == 0
