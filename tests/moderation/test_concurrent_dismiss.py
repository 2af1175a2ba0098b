"""Four facilitators (or tabs) acting on the same flag at the same moment: one action recorded, not four; the
others are told it was already dealt with, never a 500. Every request has loaded the item before any of them
writes (the load is slowed down to make sure), so only the conditional UPDATE (resolved_at IS NULL) lets one in.
Runs on SQLite and on PostgreSQL (PORTAL_TEST_DATABASE_URL)."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.moderation import views
from portal.moderation.flag_models import Flag
from tests.conftest import csrf_token, login, post_at_once

TABS = 4


def _at_once(path: str, forms) -> list[int]:
    return [r.status_code for r in post_at_once([(client, path, data) for client, data in forms])]


@pytest.mark.parametrize("one_flag", [True, False], ids=["one flag", "all flags"])
def test_four_dismissals_at_once_record_one(app, db, cohort, facilitator, learner, peers, worrying_post, monkeypatch,
                                            one_flag):
    flag = Flag(cohort_id=cohort.id, subject_kind="post", subject_id=worrying_post.id, flagger_id=peers[0].id,
                author_id=learner.id, reason="boundary")
    db.session.add(flag)
    db.session.commit()
    path = f"/cohorts/{cohort.id}/moderation/posts/{worrying_post.id}"
    forms = []
    for _ in range(TABS):
        client = app.test_client()
        login(client, facilitator.email)
        data = {"action": "dismiss", "csrf_token": csrf_token(client, "/account")}
        if one_flag:
            data["flag"] = str(flag.id)
        forms.append((client, data))
    real = views.load_subject

    def slow(*args, **kwargs):
        found = real(*args, **kwargs)
        time.sleep(0.3)  # every request has read the item by now; none has written yet
        return found
    monkeypatch.setattr(views, "load_subject", slow)
    statuses = _at_once(path, forms)
    monkeypatch.undo()
    assert sorted(statuses) == [302] + [409] * (TABS - 1)  # the others: "already dealt with"
    db.session.expire_all()
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "flag.dismissed")) == 1
    assert db.session.scalar(select(Flag.outcome)) == "dismissed"
