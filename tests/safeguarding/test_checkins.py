"""Check-in messages: a facilitator writes privately to a learner of their cohort, the learner replies. The only
private messages in the portal: no learner can ever address another learner."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from portal.cohorts.openings import open_cohort
from portal.mailqueue.models import QueuedMail
from portal.safeguarding import checkins
from portal.safeguarding.models import CheckinConversation, CheckinMessage
from tests.conftest import csrf_token, login


def _client(app, user):
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


def _send(client, url, body, token="t"):
    return client.post(url, data={"body": body, "client_token": token, "csrf_token": csrf_token(client, url)})


def test_a_check_in_and_its_reply_with_emails_that_hold_no_words(app, db, cohort, facilitator, learner, make_user,
                                                                  enrol, outbox):
    second = make_user("second@example.org", name="Sam Second", two_factor=True)
    enrol(second, cohort, "facilitator")
    as_facilitator, as_learner = _client(app, facilitator), _client(app, learner)
    c = f"/cohorts/{cohort.id}"
    sent = _send(as_facilitator, f"{c}/check-ins/{learner.id}", "How are you doing after Tuesday?", "once")
    assert sent.status_code == 302
    again = _send(as_facilitator, f"{c}/check-ins/{learner.id}", "How are you doing after Tuesday?", "once")
    assert again.status_code == 302  # a double submit sends one message
    assert db.session.scalar(select(func.count()).select_from(CheckinMessage)) == 1
    mails = [m for m in outbox() if m["To"] == learner.email]
    assert len(mails) == 1 and "Tuesday" not in mails[0].get_content()
    assert f"{c}/messages" in mails[0].get_content()
    home = as_learner.get(f"{c}/").get_data(as_text=True)
    assert "A message from your facilitators" in home
    page = as_learner.get(f"{c}/messages").get_data(as_text=True)
    assert "How are you doing after Tuesday?" in page
    assert "A message from your facilitators" not in as_learner.get(f"{c}/").get_data(as_text=True)  # read now
    assert _send(as_learner, f"{c}/messages", "Thank you, a bit better.", "r1").status_code == 302
    to_facilitators = {m["To"] for m in outbox() if "written to you" in m["Subject"]}
    assert to_facilitators == {facilitator.email, second.email}
    assert all("better" not in m.get_content() for m in outbox())
    as_second = _client(app, second)  # every facilitator of the cohort sees the conversation
    assert "a bit better" in as_second.get(f"{c}/check-ins/{learner.id}").get_data(as_text=True)
    assert "New reply" not in as_second.get(f"{c}/check-ins").get_data(as_text=True)  # read by opening it


def test_the_email_is_queued_in_the_same_transaction_as_the_message(db, cohort, facilitator, learner):
    checkins.send_checkin(facilitator, cohort, learner.id, "Hello there", None)  # no request: nothing sends it yet
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(CheckinMessage)) == 1
    mail = db.session.scalars(select(QueuedMail)).one()
    assert mail.to == learner.email and "Hello there" not in mail.body


def test_no_learner_can_message_another_learner(app, db, cohort, learner, make_user, enrol, facilitator):
    peer = make_user("peer@example.org", name="Pat Peer")
    enrol(peer, cohort)
    as_learner = _client(app, learner)
    c = f"/cohorts/{cohort.id}"
    # the facilitators' page for a learner's conversation is closed to learners, whoever it names
    for target in (peer.id, learner.id, facilitator.id):
        assert as_learner.get(f"{c}/check-ins/{target}").status_code == 404
        assert _send(as_learner, f"{c}/check-ins/{target}", "Psst").status_code == 404
    # a learner's own page writes only to their own conversation: no field names anyone else
    _send(as_learner, f"{c}/messages?member_id={peer.id}", "To my facilitators", "x1")
    as_learner.post(f"{c}/messages", data={"body": "Again", "member_id": str(peer.id), "member": str(peer.id),
                                           "client_token": "x2", "csrf_token": csrf_token(as_learner, "/account")})
    conversations = db.session.scalars(select(CheckinConversation)).all()
    assert [(x.cohort_id, x.member_id) for x in conversations] == [(cohort.id, learner.id)]
    assert "To my facilitators" not in _client(app, peer).get(f"{c}/messages").get_data(as_text=True)
    # and no route in the portal takes a message to a learner from anyone but a facilitator of their cohort
    routes = {r.endpoint: r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith("checkins.")}
    assert routes == {"checkins.index": "/cohorts/<int:cohort_id>/check-ins",
                      "checkins.conversation": "/cohorts/<int:cohort_id>/check-ins/<int:member_id>",
                      "checkins.mine": "/cohorts/<int:cohort_id>/messages"}
    from portal.permissions import rule_of
    assert rule_of(app.view_functions["checkins.conversation"]).level == "facilitator"


def test_facilitators_write_only_to_learners_of_their_own_cohort(app, db, cohort, facilitator, outsider,
                                                                 other_facilitator, make_user, enrol):
    second = make_user("second@example.org", two_factor=True)
    enrol(second, cohort, "facilitator")
    client = _client(app, facilitator)
    c = f"/cohorts/{cohort.id}"
    assert client.get(f"{c}/check-ins/{outsider.id}").status_code == 404
    assert _send(client, f"{c}/check-ins/{outsider.id}", "Hi").status_code == 404
    assert client.get(f"{c}/check-ins/{second.id}").status_code == 404  # not between facilitators either
    assert db.session.scalar(select(func.count()).select_from(CheckinMessage)) == 0


def test_access_to_check_in_pages(app, db, cohort, facilitator, learner, site_admin, assert_isolated):
    c = f"/cohorts/{cohort.id}"
    for url in (f"{c}/check-ins", f"{c}/check-ins/{learner.id}", f"{c}/messages"):
        assert_isolated(url)
    # A site admin: the offer to open the cohort; with it open, the conversations but no "messages" of their own.
    assert _client(app, site_admin).get(f"{c}/messages").status_code == 403
    assert _client(app, site_admin).get(f"{c}/check-ins/{learner.id}").status_code == 403
    open_cohort(site_admin, cohort.id, "Checking a check-in", 30)
    assert _client(app, site_admin).get(f"{c}/messages").status_code == 404  # not a member: no conversation
    assert _client(app, site_admin).get(f"{c}/check-ins/{learner.id}").status_code == 200
    assert _client(app, facilitator).get(f"{c}/messages").headers["Location"].endswith(f"{c}/check-ins")
    assert _client(app, learner).get(f"{c}/check-ins").status_code == 404


def test_a_paused_member_can_read_and_reply_and_a_removed_one_cannot_be_written_to(
        app, db, cohort, facilitator, suspended, make_user, enrol):
    c = f"/cohorts/{cohort.id}"
    as_facilitator = _client(app, facilitator)
    assert _send(as_facilitator, f"{c}/check-ins/{suspended.id}", "Checking in while you take a break",
                 "p1").status_code == 302
    as_paused = _client(app, suspended)
    assert "while you take a break" in as_paused.get(f"{c}/messages").get_data(as_text=True)
    assert _send(as_paused, f"{c}/messages", "Thanks, I am OK", "p2").status_code == 302
    gone = make_user("gone@example.org")
    enrol(gone, cohort, status="removed")
    refused = _send(as_facilitator, f"{c}/check-ins/{gone.id}", "Words I typed", "p3")
    assert refused.status_code == 409 and "no longer in this cohort" in refused.get_data(as_text=True)


def test_bad_input_keeps_the_words(app, db, cohort, facilitator, learner):
    c = f"/cohorts/{cohort.id}"
    client = _client(app, facilitator)
    long = _send(client, f"{c}/check-ins/{learner.id}", "w" * 4001)
    assert long.status_code == 422 and "up to 4,000" in long.get_data(as_text=True)
    assert "wwww" in long.get_data(as_text=True)
    empty = _send(_client(app, learner), f"{c}/messages", "   ")
    assert empty.status_code == 422 and "Please write your message" in empty.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(CheckinMessage)) == 0


def test_need_help_now_links_to_the_members_messages(app, db, cohort, facilitator, learner):
    page = _client(app, learner).get("/need-help-now").get_data(as_text=True)
    section = re.search(r'id="your-facilitators".*?</div>', page, re.S).group(0)
    assert f"/cohorts/{cohort.id}/messages" in section


def test_the_unread_marker_costs_the_cohort_home_no_query(app, db, cohort, facilitator, learner, count_queries):
    c = f"/cohorts/{cohort.id}/"
    client = _client(app, learner)
    client.get(c)
    with count_queries() as n:
        client.get(c)
    before = n()
    with app.test_request_context():
        checkins.send_checkin(facilitator, cohort, learner.id, "Hello", None)
    with count_queries() as n:
        body = client.get(c).get_data(as_text=True)
    assert "A message from your facilitators" in body
    assert n() == before <= 10


def test_the_lost_session_page_keeps_a_reply(app, db, cohort, learner):
    from portal.keep.rescue import _signer
    client = app.test_client()
    response = client.post(f"/cohorts/{cohort.id}/messages", data={
        "body": "My careful reply", "keep_owner": _signer(app.secret_key).dumps(learner.id),
        "csrf_token": csrf_token(client, "/login")})
    assert response.status_code == 401 and "My careful reply" in response.get_data(as_text=True)
