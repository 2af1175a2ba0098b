"""Spaces, threads, replies, reading: behaviour, access and cohort isolation."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.discussions.models import Draft, Post, Reaction, Thread
from tests.conftest import post
from tests.discussions.conftest import posts_of, starter


def c(cohort, path):
    return f"/cohorts/{cohort.id}/{path}"


def test_each_session_prompt_opens_as_a_pinned_starter_thread(db, cohort):
    threads = db.session.scalars(select(Thread).where(Thread.cohort_id == cohort.id)).all()
    assert len(threads) == 3 and all(t.pinned and t.starter_key for t in threads)
    assert posts_of(db, starter(db, cohort))[0].author_id is None


def test_every_discussion_route_is_invisible_outside_the_cohort(db, cohort, learner, facilitator, open_sessions,
                                                                general_thread, write_reply, assert_isolated):
    open_sessions(cohort, 1)
    thread = general_thread(cohort, learner)
    reply = write_reply(thread, learner)
    for path in ("discussions", "discussions/general", "discussions/1", "discussions/general/new",
                 f"threads/{thread.id}", f"threads/{thread.id}/unread", f"posts/{reply.id}",
                 f"posts/{reply.id}/edit", f"posts/{reply.id}/revisions", f"posts/{reply.id}/withdraw",
                 "search?q=reply"):
        assert_isolated(c(cohort, path))
    for path in ("discussions/general/new", f"threads/{thread.id}", f"threads/{thread.id}/settings",
                 f"posts/{reply.id}/edit", f"posts/{reply.id}/withdraw", f"posts/{reply.id}/react", "drafts",
                 "preview"):
        assert_isolated(c(cohort, path), method="POST", data={"body": "x", "key": "reply:1", "kind": "thanks"})


def test_a_session_space_is_closed_to_learners_until_the_session_opens(client, auth, db, cohort, learner,
                                                                      facilitator, open_sessions):
    auth.login(learner)
    thread = starter(db, cohort, 2)
    first_post = posts_of(db, thread)[0]
    for path in ("discussions/2", "discussions/2/new", f"threads/{thread.id}", f"posts/{first_post.id}"):
        assert client.get(c(cohort, path)).status_code == 404, path
    assert "Prompt for session 2" not in client.get(c(cohort, "search?q=session")).get_data(as_text=True)
    open_sessions(cohort, 2)
    assert client.get(c(cohort, f"threads/{thread.id}")).status_code == 200
    assert "Prompt for session 2" in client.get(c(cohort, "discussions/2")).get_data(as_text=True)


def test_start_a_thread_and_reply(client, auth, db, cohort, learner, facilitator, app):
    auth.login(learner)
    page = client.get(c(cohort, "discussions/general/new")).get_data(as_text=True)
    assert 'name="client_token"' in page
    response = post(client, c(cohort, "discussions/general/new"),
                    {"title": "After session one", "body": "I noticed **a lot**.", "client_token": "abc"})
    assert response.status_code == 302
    thread = db.session.scalars(select(Thread).where(Thread.title == "After session one")).one()
    body = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<strong>a lot</strong>" in body and "Lee Learner" in body
    response = post(client, c(cohort, f"threads/{thread.id}"), {"body": "Me as well", "client_token": "r1"})
    assert response.status_code == 302 and "/posts/" in response.headers["Location"]
    assert [p.number for p in posts_of(db, thread)] == [1, 2]
    listing = client.get(c(cohort, "discussions/general")).get_data(as_text=True)
    assert "After session one" in listing and "1 reply" in listing


def test_a_double_click_or_resent_form_makes_one_post(client, auth, db, cohort, learner, general_thread):
    thread = general_thread(cohort, learner)
    auth.login(learner)
    for _ in range(3):
        response = post(client, c(cohort, f"threads/{thread.id}"), {"body": "Only once", "client_token": "same"})
        assert response.status_code == 302
    assert [p.body_source for p in posts_of(db, thread)].count("Only once") == 1
    post(client, c(cohort, "discussions/general/new"), {"title": "T", "body": "B", "client_token": "t-same"})
    post(client, c(cohort, "discussions/general/new"), {"title": "T", "body": "B", "client_token": "t-same"})
    assert db.session.scalar(select(func.count()).select_from(Thread).where(Thread.title == "T")) == 1


def test_reply_to_and_quote(client, auth, db, cohort, learner, facilitator, general_thread, write_reply):
    thread = general_thread(cohort, facilitator)
    first = posts_of(db, thread)[0]
    auth.login(learner)
    quote_page = client.get(c(cohort, f"threads/{thread.id}?quote={first.id}")).get_data(as_text=True)
    assert "&gt; Opening words" in quote_page and f'value="{first.id}"' in quote_page
    post(client, c(cohort, f"threads/{thread.id}"), {"body": "Answering", "reply_to": first.id,
                                                     "client_token": "q1"})
    assert posts_of(db, thread)[1].reply_to_id == first.id
    assert "in reply to Fran Facilitator" in client.get(c(cohort, f"threads/{thread.id}")).get_data(as_text=True)


def test_replying_to_a_post_of_another_cohort_is_a_404(client, auth, db, cohort, other_cohort, learner, outsider,
                                                       general_thread):
    ours = general_thread(cohort, learner)
    theirs = general_thread(other_cohort, outsider)
    their_post = posts_of(db, theirs)[0]
    auth.login(learner)
    response = post(client, c(cohort, f"threads/{ours.id}"), {"body": "x", "reply_to": their_post.id,
                                                              "client_token": "z"})
    assert response.status_code == 404
    assert client.get(c(cohort, f"threads/{theirs.id}")).status_code == 404
    assert client.get(c(cohort, f"posts/{their_post.id}")).status_code == 404
    assert len(posts_of(db, ours)) == 1


def test_permalinks_find_the_right_page_and_unread_jumps_to_the_first_new_post(client, auth, db, cohort, learner,
                                                                              facilitator, general_thread,
                                                                              write_reply):
    thread = general_thread(cohort, facilitator)
    replies = [write_reply(thread, facilitator, f"Reply {n}") for n in range(60)]
    auth.login(learner)
    response = client.get(c(cohort, f"posts/{replies[55].id}"))
    assert response.headers["Location"].endswith(f"threads/{thread.id}?page=2#post-{replies[55].id}")
    page1 = client.get(c(cohort, f"threads/{thread.id}")).get_data(as_text=True)
    assert page1.count('<li class="post') == 50 and "Page 2" in page1
    jump = client.get(c(cohort, f"threads/{thread.id}/unread"))
    assert jump.headers["Location"].endswith(f"/posts/{replies[49].id}")
    client.get(c(cohort, f"threads/{thread.id}?page=2"))  # read to the end
    more = write_reply(thread, facilitator, "Something new")
    assert client.get(c(cohort, f"threads/{thread.id}/unread")).headers["Location"].endswith(f"/posts/{more.id}")
    body = client.get(c(cohort, f"threads/{thread.id}?page=2")).get_data(as_text=True)
    assert body.index("New since your last visit") < body.index("Something new")


def test_thread_list_shows_unread_counts(client, auth, db, cohort, learner, facilitator, general_thread,
                                         write_reply):
    thread = general_thread(cohort, facilitator, title="Busy thread")
    auth.login(learner)
    client.get(c(cohort, f"threads/{thread.id}"))
    write_reply(thread, facilitator)
    write_reply(thread, facilitator)
    assert "2 new" in client.get(c(cohort, "discussions/general")).get_data(as_text=True)
    assert "with new posts" in client.get(c(cohort, "discussions")).get_data(as_text=True)


def test_thread_page_query_count_does_not_grow_with_posts(client, auth, db, cohort, learner, facilitator,
                                                          general_thread, write_reply, count_queries):
    thread = general_thread(cohort, facilitator)
    for n in range(4):
        write_reply(thread, facilitator, f"Early {n}")
    auth.login(learner)
    url = c(cohort, f"threads/{thread.id}")
    client.get(url)
    with count_queries() as n:
        assert client.get(url).status_code == 200
    few = n()
    for i in range(120):
        write_reply(thread, learner if i % 2 else facilitator, f"Later {i}")
    with count_queries() as n:
        client.get(url + "?page=3")
    assert n() == few <= 10


class TestEditing:
    def test_edit_keeps_a_revision_for_facilitators(self, client, auth, db, cohort, learner, facilitator,
                                                    general_thread, app):
        from tests.conftest import login
        thread = general_thread(cohort, learner, body="First words")
        first = posts_of(db, thread)[0]
        auth.login(learner)
        form = client.get(c(cohort, f"posts/{first.id}/edit")).get_data(as_text=True)
        version = form.split('name="version" type="hidden" value="')[1].split('"')[0]
        assert post(client, c(cohort, f"posts/{first.id}/edit"),
                    {"body": "Better words", "version": version}).status_code == 302
        assert "edited" in client.get(c(cohort, f"threads/{thread.id}")).get_data(as_text=True)
        assert client.get(c(cohort, f"posts/{first.id}/revisions")).status_code == 404  # learners
        fac = app.test_client()
        login(fac, facilitator.email)
        history = fac.get(c(cohort, f"posts/{first.id}/revisions")).get_data(as_text=True)
        assert "First words" in history and "Better words" in history

    def test_a_second_editor_gets_a_conflict_page_with_their_text_kept(self, client, auth, db, cohort, learner,
                                                                       general_thread):
        thread = general_thread(cohort, learner, body="Original")
        first = posts_of(db, thread)[0]
        auth.login(learner)
        form = client.get(c(cohort, f"posts/{first.id}/edit")).get_data(as_text=True)
        version = form.split('name="version" type="hidden" value="')[1].split('"')[0]
        post(client, c(cohort, f"posts/{first.id}/edit"), {"body": "From the laptop", "version": version})
        response = post(client, c(cohort, f"posts/{first.id}/edit"), {"body": "From the phone", "version": version})
        assert response.status_code == 409
        body = response.get_data(as_text=True)
        assert "From the phone" in body and "From the laptop" in body
        assert posts_of(db, thread)[0].body_source == "From the laptop"

    def test_only_the_author_edits_or_withdraws(self, client, auth, db, cohort, learner, facilitator,
                                                general_thread):
        thread = general_thread(cohort, facilitator)
        first = posts_of(db, thread)[0]
        auth.login(learner)
        assert client.get(c(cohort, f"posts/{first.id}/edit")).status_code == 404
        assert post(client, c(cohort, f"posts/{first.id}/withdraw")).status_code == 404
        assert posts_of(db, thread)[0].withdrawn_at is None

    def test_withdrawn_posts_leave_a_placeholder(self, client, auth, db, cohort, learner, general_thread,
                                                write_reply):
        thread = general_thread(cohort, learner)
        mine = write_reply(thread, learner, "I regret this")
        auth.login(learner)
        post(client, c(cohort, f"posts/{mine.id}/withdraw"))
        body = client.get(c(cohort, f"threads/{thread.id}")).get_data(as_text=True)
        assert "withdrawn by its author" in body and "I regret this" not in body
        assert "I regret this" not in client.get(c(cohort, "search?q=regret")).get_data(as_text=True)


class TestContentWarnings:
    def test_a_warned_post_opens_by_choice(self, client, auth, db, cohort, learner, general_thread):
        thread = general_thread(cohort, learner)
        auth.login(learner)
        post(client, c(cohort, f"threads/{thread.id}"), {"body": "Hard memories", "warning_choice": "Self-harm",
                                                         "client_token": "w1"})
        body = client.get(c(cohort, f"threads/{thread.id}")).get_data(as_text=True)
        assert '<details class="content-warning">' in body and "Content warning: Self-harm" in body
        assert body.index("Content warning: Self-harm") < body.index("Hard memories")

    def test_own_words_and_bad_choices(self, client, auth, db, cohort, learner, general_thread):
        thread = general_thread(cohort, learner)
        auth.login(learner)
        missing = post(client, c(cohort, f"threads/{thread.id}"), {"body": "Text kept", "warning_choice": "other",
                                                                   "client_token": "w2"})
        assert missing.status_code == 422 and "in your own words" in missing.get_data(as_text=True)
        assert "Text kept" in missing.get_data(as_text=True)
        forged = post(client, c(cohort, f"threads/{thread.id}"), {"body": "x", "warning_choice": "<b>made up</b>",
                                                                  "client_token": "w3"})
        assert forged.status_code == 422
        post(client, c(cohort, f"threads/{thread.id}"), {"body": "Mine", "warning_choice": "other",
                                                         "warning_other": "Hospital stay", "client_token": "w4"})
        assert posts_of(db, thread)[-1].content_warning == "Hospital stay"


def test_share_first_threads_hold_back_replies_until_you_share(client, auth, db, cohort, learner, facilitator,
                                                               make_user, enrol, general_thread, write_reply):
    other = make_user(name="Other Learner")
    enrol(other, cohort)
    thread = general_thread(cohort, facilitator, title="First thoughts", share_first=True)
    write_reply(thread, other, "Other's honest answer")
    auth.login(learner)
    body = client.get(c(cohort, f"threads/{thread.id}")).get_data(as_text=True)
    assert "Opening words" in body and "honest answer" not in body and "share first" in body
    assert "honest answer" not in client.get(c(cohort, "search?q=honest")).get_data(as_text=True)
    hidden = posts_of(db, thread)[1]
    assert client.get(c(cohort, f"posts/{hidden.id}")).status_code == 404
    post(client, c(cohort, f"threads/{thread.id}"), {"body": "My own answer", "client_token": "s1"})
    body = client.get(c(cohort, f"threads/{thread.id}")).get_data(as_text=True)
    assert "honest answer" in body


def test_reactions_toggle_and_refuse_made_up_kinds(client, auth, db, cohort, learner, facilitator, general_thread):
    thread = general_thread(cohort, facilitator)
    first = posts_of(db, thread)[0]
    auth.login(learner)
    post(client, c(cohort, f"posts/{first.id}/react"), {"kind": "me_too"})
    assert 'aria-pressed="true"' in client.get(c(cohort, f"threads/{thread.id}")).get_data(as_text=True)
    post(client, c(cohort, f"posts/{first.id}/react"), {"kind": "me_too"})
    post(client, c(cohort, f"posts/{first.id}/react"), {"kind": "downvote"})
    assert db.session.scalar(select(func.count()).select_from(Reaction)) == 0


def test_locked_threads_refuse_replies_and_keep_the_text(client, auth, db, cohort, learner, facilitator,
                                                         general_thread, app):
    from tests.conftest import login
    thread = general_thread(cohort, learner)
    fac = app.test_client()
    login(fac, facilitator.email)
    post(fac, c(cohort, f"threads/{thread.id}/settings"), {"locked": "y"})
    auth.login(learner)
    response = post(client, c(cohort, f"threads/{thread.id}"), {"body": "Still typed", "client_token": "l1"})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "closed to new replies" in body and "Still typed" in body
    assert len(posts_of(db, thread)) == 1
    assert post(client, c(cohort, f"threads/{thread.id}/settings"), {"locked": ""}).status_code == 404


def test_suspended_members_and_archived_cohorts_cannot_post(client, auth, db, cohort, suspended, learner,
                                                            general_thread):
    thread = general_thread(cohort, learner)
    auth.login(suspended)
    page = client.get(c(cohort, f"threads/{thread.id}")).get_data(as_text=True)
    assert "paused for now" in page and 'id="composer"' not in page
    response = post(client, c(cohort, f"threads/{thread.id}"), {"body": "x", "client_token": "p1"})
    assert response.status_code == 403
    assert len(posts_of(db, thread)) == 1


class TestDrafts:
    def test_autosave_then_the_form_comes_back_with_the_text(self, client, auth, db, cohort, learner,
                                                            general_thread):
        thread = general_thread(cohort, learner)
        auth.login(learner)
        response = post(client, c(cohort, "drafts"), {"key": f"reply:{thread.id}", "body": "Half a thought",
                                                      "warning": "Trauma"})
        assert response.status_code == 200 and response.get_json()["saved"] is True
        page = client.get(c(cohort, f"threads/{thread.id}")).get_data(as_text=True)
        assert "Half a thought" in page and '<option selected value="Trauma">' in page
        post(client, c(cohort, f"threads/{thread.id}"), {"body": "Whole thought", "client_token": "d1"})
        assert db.session.scalar(select(func.count()).select_from(Draft)) == 0

    @pytest.mark.parametrize("key", ["", "x" * 200, "admin:1", "reply:abc", "thread:../../etc"])
    def test_bad_draft_keys_are_refused(self, client, auth, cohort, learner, key):
        auth.login(learner)
        assert post(client, c(cohort, "drafts"), {"key": key, "body": "b"}).status_code == 400

    def test_preview_is_sanitised(self, client, auth, cohort, learner):
        auth.login(learner)
        html = post(client, c(cohort, "preview"), {"body": "**hi** <script>alert(1)</script>"}).get_data(as_text=True)
        assert "<strong>hi</strong>" in html and "<script>" not in html


def test_posting_is_rate_limited_per_person_with_a_kind_page(app, client, auth, db, cohort, learner, general_thread):
    thread = general_thread(cohort, learner)
    app.config["RATELIMIT_POST"] = "3 per minute"
    try:
        auth.login(learner)
        statuses = [post(client, c(cohort, f"threads/{thread.id}"), {"body": f"n{i}", "client_token": f"rl{i}"})
                    .status_code for i in range(4)]
    finally:
        app.config["RATELIMIT_POST"] = "10000 per minute"
    assert statuses == [302, 302, 302, 429]
    assert len(posts_of(db, thread)) == 4


def test_the_same_words_twice_within_minutes_are_refused_kindly(client, auth, db, cohort, learner, general_thread):
    thread = general_thread(cohort, learner)
    auth.login(learner)
    post(client, c(cohort, f"threads/{thread.id}"), {"body": "Exactly this", "client_token": "first"})
    again = post(client, c(cohort, f"threads/{thread.id}"), {"body": "Exactly this", "client_token": "second"})
    assert again.status_code == 422
    assert "same words a few minutes ago" in again.get_data(as_text=True)
    assert [p.body_source for p in posts_of(db, thread)].count("Exactly this") == 1


def test_cohort_home_and_thread_list_run_a_fixed_small_number_of_queries(client, auth, db, cohort, learner,
                                                                          facilitator, general_thread, write_reply,
                                                                          count_queries, open_sessions):
    open_sessions(cohort, 3)
    auth.login(learner)
    home, listing = c(cohort, ""), c(cohort, "discussions/general")
    client.get(home)
    client.get(listing)

    def measure():
        with count_queries() as n:
            client.get(home)
        first = n()
        with count_queries() as n:
            client.get(listing)
        return first, n()

    small = measure()
    for i in range(12):
        thread = general_thread(cohort, facilitator, title=f"T{i}", body=f"Body {i}")
        write_reply(thread, learner)
    large = measure()
    assert small == large and max(large) <= 10, (small, large)
