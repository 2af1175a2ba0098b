"""Nothing typed is lost when a session ends mid-sentence, and posted text never comes back (issue 11)."""
from __future__ import annotations

import html
import re
import time

import pytest
from markupsafe import escape
from sqlalchemy import select

from portal.discussions.models import Draft, Post
from portal.keep.models import KeptText
from tests.conftest import csrf_token, login, post

WORDS = "I've been finding the evenings hard <b>since</b> session two, & I wanted to say it here."
SHOWN = str(escape(WORDS))


def c(cohort, path):
    return f"/cohorts/{cohort.id}/{path}"


def _form_of(client, url) -> dict:
    page = client.get(url).get_data(as_text=True)
    composer = page.split('id="composer"')[1]
    fields = {}
    for tag in re.findall(r'<input [^>]*type="hidden"[^>]*>', composer):
        name, value = re.search(r'name="(\w+)"', tag), re.search(r'value="([^"]*)"', tag)
        fields[name.group(1)] = value.group(1) if value else ""
    return {k: html.unescape(v) for k, v in fields.items()}


@pytest.fixture
def composers(db, cohort, learner, general_thread, write_reply):
    thread = general_thread(cohort, learner)
    reply = write_reply(thread, learner, "My earlier reply")
    return {
        "reply": (c(cohort, f"threads/{thread.id}"), {"body": WORDS}),
        "new thread": (c(cohort, "discussions/general/new"), {"title": "Evenings", "body": WORDS}),
        "edit": (c(cohort, f"posts/{reply.id}/edit"), {"body": WORDS}),
    }


def _end_session(how, app, client, learner):
    if how == "signed out in another tab":  # the same browser: its session is cleared
        client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    elif how == "signed out on another device":  # sign-out ends every session
        other = app.test_client()
        login(other, learner.email)
        other.post("/logout", data={"csrf_token": csrf_token(other, "/account")})
    else:  # the session timed out while they wrote
        with client.session_transaction() as s:
            s["_portal_seen"] = int(time.time()) - 3 * 3600


@pytest.mark.parametrize("how", ["signed out in another tab", "signed out on another device", "timed out"])
@pytest.mark.parametrize("kind", ["reply", "new thread", "edit"])
def test_words_sent_after_the_session_ended_come_back_after_signing_in(app, client, auth, db, learner, composers,
                                                                       kind, how):
    url, typed = composers[kind]
    auth.login(learner)
    form = _form_of(client, url)
    _end_session(how, app, client, learner)

    response = client.post(url, data={**form, **typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert SHOWN in page and "<b>since</b>" not in page  # shown, escaped, copyable
    assert "Sign in again" in page and f"/login?next={url}" in page
    assert WORDS not in response.headers.get("Location", "") and WORDS not in str(response.headers)
    assert db.session.scalar(select(Post).where(Post.body_source == WORDS)) is None  # not posted

    login(client, learner.email)
    back = client.get(url).get_data(as_text=True)
    assert SHOWN in back, "the composer holds the words again"
    if "title" in typed:
        assert 'value="Evenings"' in back
    assert db.session.scalars(select(KeptText)).all() == []  # given back once, then gone


def test_kept_words_go_back_only_to_their_author(app, client, auth, db, learner, make_user, enrol, cohort,
                                                 composers):
    other = make_user("other@example.org", name="Another Person")
    enrol(other, cohort, "learner")
    url, typed = composers["reply"]
    auth.login(learner)
    form = _form_of(client, url)
    _end_session("signed out in another tab", app, client, learner)
    assert client.post(url, data={**form, **typed}).status_code == 401
    login(client, other.email)  # someone else signs in on the same browser
    assert SHOWN not in client.get(url).get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    login(client, learner.email)
    assert SHOWN in client.get(url).get_data(as_text=True)


def test_a_forged_owner_keeps_nothing(app, client, auth, db, learner, composers):
    url, typed = composers["reply"]
    anonymous = app.test_client()
    token = csrf_token(anonymous, "/login")
    response = anonymous.post(url, data={"csrf_token": token, "keep_owner": f"{learner.id}.forged", **typed})
    assert response.status_code == 302 and db.session.scalars(select(KeptText)).all() == []


def test_autosave_says_when_the_session_has_gone(app, client, auth, db, learner, cohort, composers):
    url, _typed = composers["reply"]
    auth.login(learner)
    form = _form_of(client, url)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    response = client.post(c(cohort, "drafts"), data={"key": "reply:1", "body": "words"},
                           headers={"X-CSRFToken": form["csrf_token"], "Accept": "application/json"})
    assert response.status_code == 401 and response.get_json()["signed_out"] is True


@pytest.mark.parametrize("kind", ["reply", "new thread"])
def test_a_late_autosave_never_brings_posted_words_back(client, auth, db, learner, cohort, composers, kind):
    """The save-on-leave request can land after the post cleared the draft: it must be refused."""
    url, typed = composers[kind]
    auth.login(learner)
    form = _form_of(client, url)
    response = client.post(url, data={**form, **typed})
    assert response.status_code == 302
    key = "thread:general" if kind == "new thread" else f"reply:{url.rsplit('/', 1)[1]}"
    late = post(client, c(cohort, "drafts"), {"key": key, "body": WORDS, "title": typed.get("title", ""),
                                              "token": form["client_token"]})
    assert late.status_code == 409
    assert db.session.scalars(select(Draft).where(Draft.body == WORDS)).all() == []
    again = client.get(url).get_data(as_text=True)
    assert SHOWN not in again and 'value="Evenings"' not in again


def test_a_draft_whose_token_was_posted_is_never_shown(client, auth, db, learner, cohort, composers):
    """Even if the late autosave wins the race with the post, the composer doesn't offer it again."""
    url, typed = composers["reply"]
    thread_id = int(url.rsplit("/", 1)[1])
    auth.login(learner)
    form = _form_of(client, url)
    assert client.post(url, data={**form, **typed}).status_code == 302
    db.session.add(Draft(user_id=learner.id, cohort_id=cohort.id, key=f"reply:{thread_id}", body=WORDS,
                         token=form["client_token"]))
    db.session.commit()
    assert SHOWN not in client.get(url).get_data(as_text=True)
    first = db.session.scalars(select(Post).where(Post.thread_id == thread_id).order_by(Post.number)).first()
    assert SHOWN not in client.get(f"{url}?quote={first.id}").get_data(as_text=True)


def test_kept_words_are_not_kept_past_their_time(app, client, auth, db, learner, composers):
    from datetime import timedelta

    from sqlalchemy import update

    from portal.dates import utcnow
    url, typed = composers["reply"]
    auth.login(learner)
    form = _form_of(client, url)
    _end_session("signed out in another tab", app, client, learner)
    assert client.post(url, data={**form, **typed}).status_code == 401
    db.session.execute(update(KeptText).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    login(app.test_client(), learner.email)  # anyone signing in clears what has expired
    assert db.session.scalars(select(KeptText)).all() == []
    login(client, learner.email)
    assert SHOWN not in client.get(url).get_data(as_text=True)


def test_words_sent_while_a_new_agreement_waits_come_back_after_accepting_it(client, auth, db, learner,
                                                                            facilitator, cohort, composers):
    from portal.agreements import services as agreements
    url, typed = composers["reply"]
    auth.login(learner)
    form = _form_of(client, url)
    agreements.update_ground_rules(facilitator, cohort, "We listen before we answer.")
    response = client.post(url, data={**form, **typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and SHOWN in page and "Continue" in page
    agreement = re.search(r'href="(/cohorts/\d+/agreement[^"]*)"', page).group(1)
    version = re.search(r'name="version_id" type="hidden" value="(\d+)"', client.get(agreement).get_data(
        as_text=True)).group(1)
    accepted = client.post(html.unescape(agreement), data={"version_id": version, "agree": "y",
                                                           "csrf_token": csrf_token(client, "/account")})
    assert accepted.status_code == 302 and accepted.headers["Location"].startswith(url)
    assert SHOWN in client.get(url).get_data(as_text=True)
