"""Autosave of the hand-in text: the discussions' drafts, offered on reopening, cleared by handing in."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.discussions.models import Draft
from tests.assignments.test_submission import URL, hand_in
from tests.conftest import post

KEY = "assignment:my-recovery-story"


def drafts_url(cohort):
    return f"/cohorts/{cohort.id}/drafts"


def autosave(client, cohort, body, token="0", key=KEY):
    return post(client, drafts_url(cohort), {"key": key, "body": body, "token": token})


def drafts(db):
    db.session.expire_all()
    return db.session.scalars(select(Draft)).all()


def test_the_page_is_marked_for_autosave_with_the_assignment_key(client, auth, learner, opened):
    auth.login(learner)
    page = client.get(URL.format(opened.id)).get_data(as_text=True)
    assert "data-composer" in page and f'data-draft-key="{KEY}"' in page and "js/composer.js" in page
    assert "data-composer-body" in page and 'name="version" type="hidden" value="0"' in page


def test_autosaved_text_is_offered_on_reopening_and_cleared_by_handing_in(client, auth, db, learner, opened):
    auth.login(learner)
    response = autosave(client, opened, "Half of my story, typed and not yet handed in.")
    assert response.status_code == 200 and response.get_json()["saved"] is True
    [draft] = drafts(db)
    assert draft.user_id == learner.id and draft.key == KEY
    page = client.get(URL.format(opened.id)).get_data(as_text=True)
    assert "Half of my story, typed and not yet handed in." in page
    assert hand_in(client, opened, "My whole story.").status_code == 302
    assert drafts(db) == []
    page = client.get(URL.format(opened.id)).get_data(as_text=True)
    assert "Half of my story" not in page and "My whole story." in page  # the text handed in, to build on
    assert 'name="version" type="hidden" value="1"' in page


def test_a_late_autosave_from_the_form_that_was_handed_in_is_refused(client, auth, db, learner, opened):
    auth.login(learner)
    assert hand_in(client, opened, "My whole story.").status_code == 302
    assert autosave(client, opened, "The words handed in", token="0").status_code == 409
    assert drafts(db) == []
    assert "The words handed in" not in client.get(URL.format(opened.id)).get_data(as_text=True)


def test_a_newer_draft_after_a_hand_in_is_offered_over_the_handed_in_text(client, auth, db, learner, opened):
    auth.login(learner)
    hand_in(client, opened, "Version one.")
    assert autosave(client, opened, "Working on version two.", token="1").status_code == 200
    page = client.get(URL.format(opened.id)).get_data(as_text=True)
    assert "Working on version two." in page


def test_another_member_cannot_read_or_write_the_draft(client, auth, db, learner, peer, outsider, opened):
    auth.login(learner)
    autosave(client, opened, "Only mine to see.")
    auth.logout()
    auth.login(peer)
    assert "Only mine to see." not in client.get(URL.format(opened.id)).get_data(as_text=True)
    autosave(client, opened, "Peer words.")  # their own draft, never the learner's
    assert {(d.user_id, d.body) for d in drafts(db)} == {(learner.id, "Only mine to see."), (peer.id, "Peer words.")}
    auth.logout()
    auth.login(outsider)
    assert autosave(client, opened, "Outsider words.").status_code == 404
    assert client.get(URL.format(opened.id)).status_code == 404
    assert len(drafts(db)) == 2


@pytest.mark.parametrize("key", ["assignment:", "assignment:no-such-thing", "assignment:../../etc",
                                 "assignment:my-recovery-story:1"])
def test_forged_keys_are_refused(client, auth, db, learner, opened, key):
    auth.login(learner)
    assert autosave(client, opened, "b", key=key).status_code == 400
    assert drafts(db) == []


def test_no_draft_for_an_assignment_not_open_yet_or_for_a_facilitator(client, auth, db, learner, facilitator,
                                                                       cohort):
    auth.login(learner)
    assert autosave(client, cohort, "too early").status_code == 400
    auth.logout()
    from tests.assignments.factories import open_session
    open_session(db, cohort, 6)
    auth.login(facilitator)
    assert autosave(client, cohort, "not a learner").status_code == 400
    assert drafts(db) == []
