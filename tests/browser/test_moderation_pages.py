"""axe-core on the flag page and the moderation queue (with every kind of item and action form): no serious or
critical violations, light and dark, wide and phone; and flagging works in a browser without JavaScript help."""
from __future__ import annotations

import pytest

from portal.dates import utcnow
from portal.discussions import services as discussions
from portal.extensions import db
from portal.moderation.flag_models import Flag
from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import check
from tests.conftest import PASSWORD


@pytest.fixture
def flagged(cohort, learner, facilitator, make_user, enrol):
    peer = make_user("peer-browser@example.org", name="Pat Peer")
    enrol(peer, cohort)
    opening = discussions.start_thread(learner, cohort, None, "A thread", "Opening words", None, None)
    thread = db.session.get(discussions.Thread, opening.thread_id)
    reply = discussions.reply(learner, thread, "Worrying words", None, None, "b1")
    db.session.add_all([
        Flag(cohort_id=cohort.id, subject_kind="post", subject_id=reply.id, flagger_id=peer.id,
             author_id=learner.id, reason="safety", note="I am worried", created_at=utcnow()),
        Flag(cohort_id=cohort.id, subject_kind="thread", subject_id=thread.id, flagger_id=peer.id,
             author_id=learner.id, reason="boundary")])
    db.session.commit()
    return peer, reply


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_queue_and_edit_pages(page, axe, facilitator, cohort, flagged, scheme, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.emulate_media(color_scheme=scheme)
    sign_in(page, facilitator.email, PASSWORD)
    _peer, reply = flagged
    for path in (f"/cohorts/{cohort.id}/moderation", f"/cohorts/{cohort.id}/moderation/posts/{reply.id}/edit"):
        assert check(page, axe, path) == [], path


def test_the_admin_queue(page, axe, site_admin, cohort, flagged):
    sign_in(page, site_admin.email, PASSWORD)
    assert check(page, axe, "/admin/moderation") == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_flag_page_and_flagging(page, axe, cohort, learner, flagged, scheme):
    from sqlalchemy import select

    page.emulate_media(color_scheme=scheme)
    _peer, reply = flagged
    sign_in(page, learner.email, PASSWORD)  # the author: another learner's thread is needed, so flag the peer's
    peers_post = discussions.start_thread(flagged[0], cohort, None, "Peer thread", "Peer words", None, None)
    url = f"/cohorts/{cohort.id}/posts/{peers_post.id}/flag"
    assert check(page, axe, url) == []
    page.get_by_label("It crosses a boundary").check()
    page.get_by_role("button", name="Send to the facilitators").click()
    page.wait_for_load_state()
    assert "A facilitator will look at it" in page.content()
    assert "You flagged this" in page.content()
    assert db.session.scalars(select(Flag.reason).where(Flag.subject_id == peers_post.id)).one() == "boundary"
