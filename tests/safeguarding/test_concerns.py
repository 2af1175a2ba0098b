"""The safeguarding record: concerns about a member, linked to what raised them, with actions, follow-ups,
an outcome; seen by the cohort's facilitators and site admins only; every step audited."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.cohorts.openings import open_cohort
from portal.dates import local_today
from portal.discussions import services as discussions
from portal.errors import InvalidInput, RuleViolation
from portal.safeguarding import concerns
from portal.safeguarding.models import Concern, ConcernAction, ConcernItem
from tests.conftest import csrf_token, login


def _actions(db):
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_open_act_close_reopen_each_audited_in_the_same_transaction(db, cohort, facilitator, learner):
    post = discussions.start_thread(learner, cohort, None, "Hard week", "Words that worried me", None, None)
    concern = concerns.open_concern(facilitator, cohort, learner.id, "Worried after a post", "Details", None,
                                    ("post", post.id), "tok-1")
    assert db.session.scalars(select(ConcernItem)).one().subject_id == post.id
    soon = local_today() + timedelta(days=3)
    concerns.add_action(facilitator, concern, None, "Phoned them; they are OK.", soon, "tok-2")
    assert concern.follow_up_on == soon
    assert concerns.close_concern(facilitator, concern, "They are getting support from their GP.")
    assert concern.follow_up_on is None and not concern.is_open
    assert not concerns.close_concern(facilitator, concern, "Again")  # a double click records nothing
    with pytest.raises(RuleViolation):
        concerns.add_action(facilitator, concern, None, "More", None, "tok-3")
    assert concerns.reopen_concern(facilitator, concern, "Worried again")
    assert _actions(db) == ["concern.opened", "concern.action_added", "concern.closed", "concern.reopened"]
    events = db.session.scalars(select(AuditEvent)).all()
    assert {(e.subject_type, e.subject_id, e.cohort_id) for e in events} == {("concerns", concern.id, cohort.id)}
    assert all("Phoned" not in (e.detail or "") for e in events)  # the log never holds the concern's words


def test_a_resent_form_makes_one_concern_and_one_action(db, cohort, facilitator, learner):
    first = concerns.open_concern(facilitator, cohort, learner.id, "Worry", None, None, None, "same")
    again = concerns.open_concern(facilitator, cohort, learner.id, "Worry", None, None, None, "same")
    assert first.id == again.id
    concerns.add_action(facilitator, first, None, "Note", None, "act")
    concerns.add_action(facilitator, first, None, "Note", None, "act")
    assert db.session.scalar(select(func.count()).select_from(Concern)) == 1
    assert db.session.scalar(select(func.count()).select_from(ConcernAction)) == 1
    assert _actions(db) == ["concern.opened", "concern.action_added"]


def test_bad_input_is_refused_with_a_clear_message(db, cohort, other_cohort, facilitator, learner, outsider):
    foreign = discussions.start_thread(outsider, other_cohort, None, "Elsewhere", "Words", None, None)
    with pytest.raises(InvalidInput, match="isn't in this cohort"):
        concerns.open_concern(facilitator, cohort, learner.id, "Worry", None, None, ("post", foreign.id), None)
    with pytest.raises(InvalidInput, match="isn't in this cohort"):
        concerns.open_concern(facilitator, cohort, learner.id, "Worry", None, None, ("post", 10**9), None)
    with pytest.raises(InvalidInput, match="choose the member"):
        concerns.open_concern(facilitator, cohort, outsider.id, "Worry", None, None, None, None)
    with pytest.raises(InvalidInput, match="choose the member"):  # facilitators are not the subject of concerns
        concerns.open_concern(facilitator, cohort, facilitator.id, "Worry", None, None, None, None)
    with pytest.raises(InvalidInput, match="up to 200"):
        concerns.open_concern(facilitator, cohort, learner.id, "x" * 201, None, None, None, None)
    with pytest.raises(InvalidInput, match="up to 4,000"):
        concerns.open_concern(facilitator, cohort, learner.id, "Worry", "x" * 4001, None, None, None)
    assert db.session.scalar(select(func.count()).select_from(Concern)) == 0
    assert _actions(db) == []


def test_followups_due_in_one_query_for_the_cohorts_asked(db, cohort, other_cohort, facilitator, learner, outsider,
                                                         other_facilitator, count_queries):
    today = date(2026, 12, 1)
    due = concerns.open_concern(facilitator, cohort, learner.id, "Due today", None, today, None, None)
    concerns.open_concern(facilitator, cohort, learner.id, "Later", None, today + timedelta(days=1), None, None)
    closed = concerns.open_concern(facilitator, cohort, learner.id, "Closed", None, today, None, None)
    concerns.close_concern(facilitator, closed, "Done")
    elsewhere = concerns.open_concern(other_facilitator, other_cohort, outsider.id, "Other", None,
                                      today - timedelta(days=2), None, None)
    with count_queries() as n:
        mine = concerns.followups_due([cohort.id], today)
    assert n() == 1
    assert [(f.concern_id, f.member_name, f.cohort_name) for f in mine] == [(due.id, "Lee Learner", "Cohort North")]
    assert [f.concern_id for f in concerns.followups_due(None, today)] == [elsewhere.id, due.id]
    assert concerns.followups_due([], today) == []


def _client(app, user):
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


def test_pages_for_facilitators_only(app, db, cohort, facilitator, learner, site_admin, assert_isolated):
    post = discussions.start_thread(learner, cohort, None, "Hard week", "Words", None, None)
    concern = concerns.open_concern(facilitator, cohort, learner.id, "A worry about Lee", "Details", None,
                                    ("post", post.id), None)
    c = f"/cohorts/{cohort.id}/safeguarding"
    urls = [c, f"{c}/new", f"{c}/{concern.id}", f"{c}/{concern.id}/close", f"{c}/new?kind=post&id={post.id}"]
    as_learner = _client(app, learner)  # the person concerned
    for url in urls:
        assert as_learner.get(url).status_code == 404, url
        assert_isolated(url)
    for url in (f"{c}/{concern.id}/actions", f"{c}/{concern.id}/close", f"{c}/{concern.id}/reopen"):
        token = csrf_token(as_learner, "/account")
        assert as_learner.post(url, data={"csrf_token": token, "note": "x", "outcome": "x"}).status_code == 404
    for url in urls:  # a site admin: only with the cohort open to them (portal/cohorts/openings.py)
        assert _client(app, site_admin).get(url).status_code == 403, url
    open_cohort(site_admin, cohort.id, "Checking the safeguarding record", 30)
    for user in (facilitator, site_admin):
        client = _client(app, user)
        for url in urls:
            assert client.get(url).status_code == 200, url
        assert "A worry about Lee" in client.get(c).get_data(as_text=True)


def test_a_concern_started_from_a_post_is_about_its_author_and_survives_a_double_submit(
        app, db, cohort, facilitator, learner):
    post = discussions.start_thread(learner, cohort, None, "Hard week", "Words", None, None)
    client = _client(app, facilitator)
    c = f"/cohorts/{cohort.id}/safeguarding"
    page = client.get(f"{c}/new?kind=post&id={post.id}").get_data(as_text=True)
    assert re.search(rf'<option selected value="{learner.id}">|<option value="{learner.id}" selected>', page), page
    token = csrf_token(client, f"{c}/new")
    data = {"csrf_token": token, "member": str(learner.id), "summary": "Worried", "details": "",
            "kind": "post", "item_id": str(post.id), "client_token": "double", "follow_up_on": "2026-12-08"}
    first, second = client.post(f"{c}/new", data=data), client.post(f"{c}/new", data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Concern)) == 1
    concern = db.session.scalars(select(Concern)).one()
    assert concern.follow_up_on == date(2026, 12, 8) and concern.member_id == learner.id
    body = client.get(first.headers["Location"]).get_data(as_text=True)
    assert f"/posts/{post.id}" in body


def test_forged_and_over_long_input_on_the_pages_keeps_the_text(app, db, cohort, other_cohort, facilitator, learner,
                                                                outsider):
    foreign = discussions.start_thread(outsider, other_cohort, None, "Elsewhere", "Words", None, None)
    client = _client(app, facilitator)
    c = f"/cohorts/{cohort.id}/safeguarding"
    assert client.get(f"{c}/new?kind=post&id={foreign.id}").status_code == 404
    assert client.get(f"{c}/new?kind=bogus&id=1").status_code == 404
    token = csrf_token(client, f"{c}/new")
    forged = client.post(f"{c}/new", data={"csrf_token": token, "member": str(learner.id), "summary": "Kept words",
                                           "kind": "post", "item_id": str(foreign.id)})
    assert forged.status_code == 422
    assert "isn&#39;t in this cohort" in forged.get_data(as_text=True) and "Kept words" in forged.get_data(as_text=True)
    other = client.post(f"{c}/new", data={"csrf_token": token, "member": str(outsider.id), "summary": "Kept"})
    assert other.status_code == 422
    long = client.post(f"{c}/new", data={"csrf_token": token, "member": str(learner.id), "summary": "Fine",
                                         "details": "y" * 4001})
    assert long.status_code == 422 and "up to 4,000 characters" in long.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Concern)) == 0
    concern = concerns.open_concern(facilitator, cohort, learner.id, "Worry", None, None, None, None)
    note = client.post(f"{c}/{concern.id}/actions", data={"csrf_token": token, "note": "z" * 4001})
    assert note.status_code == 422 and "zzzz" in note.get_data(as_text=True)
    link = client.post(f"{c}/{concern.id}/items", data={"csrf_token": token, "kind": "post",
                                                        "item_id": str(foreign.id)})
    assert link.status_code == 422 and "isn&#39;t in this cohort" in link.get_data(as_text=True)
    empty = client.post(f"{c}/{concern.id}/close", data={"csrf_token": token, "outcome": ""})
    assert empty.status_code == 422 and "Please write the outcome" in empty.get_data(as_text=True)


def test_another_cohorts_concern_is_not_found_through_this_cohort(app, db, cohort, other_cohort, facilitator,
                                                                   other_facilitator, outsider):
    theirs = concerns.open_concern(other_facilitator, other_cohort, outsider.id, "Theirs", None, None, None, None)
    client = _client(app, facilitator)
    c = f"/cohorts/{cohort.id}/safeguarding"
    assert client.get(f"{c}/{theirs.id}").status_code == 404
    token = csrf_token(client, "/account")
    assert client.post(f"{c}/{theirs.id}/actions", data={"csrf_token": token, "note": "x"}).status_code == 404
    assert client.post(f"{c}/{theirs.id}/close", data={"csrf_token": token, "outcome": "x"}).status_code == 404


def test_the_list_shows_open_first_and_due_follow_ups(app, db, cohort, facilitator, learner):
    closed = concerns.open_concern(facilitator, cohort, learner.id, "Closed one", None, None, None, None)
    concerns.close_concern(facilitator, closed, "Fine now")
    concerns.open_concern(facilitator, cohort, learner.id, "Open one", None, local_today() - timedelta(days=1),
                          None, None)
    body = _client(app, facilitator).get(f"/cohorts/{cohort.id}/safeguarding").get_data(as_text=True)
    assert body.index("Open one") < body.index("Closed one")
    assert "Follow-ups due" in body


def test_lost_session_keeps_the_concern_text(app, db, cohort, facilitator, learner):
    from portal.keep.rescue import _signer
    owner = _signer(app.secret_key).dumps(facilitator.id)
    client = app.test_client()
    token = csrf_token(client, "/login")
    response = client.post(f"/cohorts/{cohort.id}/safeguarding/new",
                           data={"summary": "Words I must not lose", "details": "More words", "keep_owner": owner,
                                 "member": str(learner.id), "csrf_token": token})
    assert response.status_code == 401 and "Words I must not lose" in response.get_data(as_text=True)


def test_a_concern_can_be_started_from_a_check_in_about_that_learner(app, db, cohort, facilitator, learner):
    client = _client(app, facilitator)
    page = client.get(f"/cohorts/{cohort.id}/check-ins/{learner.id}").get_data(as_text=True)
    assert f"/safeguarding/new?member={learner.id}" in page
    form = client.get(f"/cohorts/{cohort.id}/safeguarding/new?member={learner.id}").get_data(as_text=True)
    assert re.search(rf'<option selected value="{learner.id}">|<option value="{learner.id}" selected>', form)
    assert client.get(f"/cohorts/{cohort.id}/safeguarding/new?member=abc").status_code == 200
