"""Mute (read-only) and suspend (no access) from the queue: enforced on every request, ending by themselves
when their time passes (a controlled clock: no sleeps), and lifted early by a facilitator."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.cohorts.models import Membership
from portal.dates import utcnow
from portal.extensions import db
from portal.moderation import restrictions
from portal.moderation.flag_models import Flag
from tests.moderation.conftest import send


@pytest.fixture
def clock(monkeypatch):
    """Move the moderation clock: clock.forward(days=8)."""
    class Clock:
        offset = timedelta()

        def forward(self, **kwargs):
            self.offset += timedelta(**kwargs)

    c = Clock()
    monkeypatch.setattr(restrictions, "utcnow", lambda: utcnow() + c.offset)
    return c


@pytest.fixture
def flagged(cohort, learner, peers, worrying_post):
    db.session.add(Flag(cohort_id=cohort.id, subject_kind="post", subject_id=worrying_post.id,
                        flagger_id=peers[0].id, author_id=learner.id, reason="boundary"))
    db.session.commit()
    return worrying_post


def _place(user):
    db.session.expire_all()
    return db.session.scalars(select(Membership).where(Membership.user_id == user.id)).one()


def test_a_muted_member_reads_but_cannot_post_until_it_ends(cohort, facilitator, learner, flagged, as_user, clock):
    fac = as_user(facilitator)
    send(fac, f"/cohorts/{cohort.id}/moderation/posts/{flagged.id}", action="mute", days="7", reason="Cooling off")
    assert _place(learner).muted_until is not None
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "member.muted")).one()
    assert event.subject_id == learner.id and "Cooling off" in event.detail
    assert db.session.scalar(select(Flag.outcome)) == "acted"
    me = as_user(learner)
    thread_url = f"/cohorts/{cohort.id}/threads/{flagged.thread_id}"
    page = me.get(thread_url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "paused your posting" in html and 'id="reply-heading"' not in html  # the composer says why, and until when
    refused = send(me, thread_url, body="Trying to reply", client_token="m1")
    assert refused.status_code == 403
    clock.forward(days=7, minutes=1)
    page = me.get(thread_url).get_data(as_text=True)
    assert "paused your posting" not in page and 'id="reply-heading"' in page
    assert send(me, thread_url, body="Back again", client_token="m2").status_code == 302


def test_a_suspended_member_cannot_open_the_cohort_until_it_ends(cohort, facilitator, learner, flagged, as_user,
                                                                 clock):
    fac = as_user(facilitator)
    send(fac, f"/cohorts/{cohort.id}/moderation/posts/{flagged.id}", action="suspend", days="3", reason="Safety")
    me = as_user(learner)
    page = me.get(f"/cohorts/{cohort.id}/")
    assert page.status_code == 403 and "suspended" in page.get_data(as_text=True)
    assert me.get(f"/cohorts/{cohort.id}/threads/{flagged.thread_id}").status_code == 403
    assert me.get("/home").status_code == 200  # the rest of the portal still works
    clock.forward(days=3, minutes=1)
    assert me.get(f"/cohorts/{cohort.id}/").status_code == 200


def test_a_suspension_until_lifted_lasts_until_a_facilitator_lifts_it(cohort, facilitator, learner, flagged,
                                                                      as_user, clock):
    fac = as_user(facilitator)
    send(fac, f"/cohorts/{cohort.id}/moderation/posts/{flagged.id}", action="suspend", days="lifted", reason="Safety")
    me = as_user(learner)
    clock.forward(days=3650)
    assert me.get(f"/cohorts/{cohort.id}/").status_code == 403
    assert "Lift the suspension" in fac.get(f"/cohorts/{cohort.id}/moderation").get_data(as_text=True)
    send(fac, f"/cohorts/{cohort.id}/moderation/people/{learner.id}", action="lift")
    assert me.get(f"/cohorts/{cohort.id}/").status_code == 200
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["member.suspended", "member.suspension_lifted"]


def test_a_mute_lifted_early(cohort, facilitator, learner, flagged, as_user):
    fac = as_user(facilitator)
    send(fac, f"/cohorts/{cohort.id}/moderation/posts/{flagged.id}", action="mute", days="30", reason="r")
    send(fac, f"/cohorts/{cohort.id}/moderation/people/{learner.id}", action="unmute")
    assert _place(learner).muted_until is None
    again = send(fac, f"/cohorts/{cohort.id}/moderation/people/{learner.id}", action="unmute", follow_redirects=True)
    assert "already ended" in again.get_data(as_text=True)
