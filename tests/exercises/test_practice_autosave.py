"""The practice form autosaves like the feedback form: the composer script sends "What worked well" to the
discussions' drafts endpoint, the page brings it back on return, and once the practice is kept a late autosave
never brings the words back (no duplicate, nothing stale)."""
from __future__ import annotations

from sqlalchemy import select

from portal.discussions.models import Draft
from tests.conftest import post
from tests.exercises.test_practice import c, example, practices, practise, shared, signed_in  # noqa: F401

AUTOSAVE = "drafts"


def autosave(client, cohort, exercise, body):
    return post(client, c(cohort, AUTOSAVE), {"key": f"practice:{exercise.id}", "body": body, "title": "",
                                              "warning": "", "token": ""}, headers={"Accept": "application/json"})


def drafts(db):
    db.session.expire_all()
    return db.session.scalars(select(Draft).where(Draft.key.like("practice:%"))).all()


def test_the_practice_page_is_a_composer_with_autosave(app, db, cohort, peer, example, shared):
    client = signed_in(app, peer)
    html = client.get(c(cohort, f"exercises/{example.id}/example")).get_data(as_text=True)
    assert "js/composer.js" in html and "data-composer" in html
    assert f'data-draft-key="practice:{example.id}"' in html and "data-composer-status" in html


def test_autosaved_words_come_back_on_return(app, db, cohort, peer, example, shared):
    client = signed_in(app, peer)
    answer = autosave(client, cohort, example, "Half a thought about warmth")
    assert answer.status_code == 200 and answer.get_json()["saved"] is True
    (draft,) = drafts(db)
    assert draft.user_id == peer.id and draft.cohort_id == cohort.id
    page = signed_in(app, peer).get(c(cohort, f"exercises/{example.id}/example")).get_data(as_text=True)
    assert "Half a thought about warmth" in page


def test_autosaved_words_are_the_writers_alone(app, db, cohort, peer, learner, example, shared):
    autosave(signed_in(app, peer), cohort, example, "Only mine to read")
    page = signed_in(app, learner).get(c(cohort, f"exercises/{example.id}/example")).get_data(as_text=True)
    assert "Only mine to read" not in page


def test_keeping_the_practice_clears_the_draft_and_a_late_autosave_is_refused(app, db, cohort, peer, example,
                                                                             shared):
    client = signed_in(app, peer)
    autosave(client, cohort, example, "Typing")
    assert practise(client, cohort, example, "Typing, then sent").status_code == 302
    assert drafts(db) == []
    late = autosave(client, cohort, example, "Typing, then sent")  # the save-on-leave after the submit
    assert late.status_code == 409 and drafts(db) == []
    assert practise(client, cohort, example, "Typing, then sent").status_code == 302  # a double submit
    assert len(practices(db)) == 1 and drafts(db) == []
