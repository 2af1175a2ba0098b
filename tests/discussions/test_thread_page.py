"""The thread page as built for speed: cached posts never go stale, one form serves every post's buttons,
and reading again writes nothing."""
from __future__ import annotations

import re

from portal.auth.services import update_profile
from portal.discussions import services
from tests.discussions.conftest import posts_of


def page(client, cohort, thread) -> str:
    response = client.get(f"/cohorts/{cohort.id}/threads/{thread.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_post_changed_after_it_was_shown_is_never_shown_stale(client, auth, db, cohort, learner, facilitator,
                                                               general_thread, write_reply):
    thread = general_thread(cohort, facilitator, body="Opening words")
    reply = write_reply(thread, learner, "What I first wrote")
    other = write_reply(thread, learner, "Something I will take back")
    auth.login(facilitator)
    before = page(client, cohort, thread)  # every post is now in the cache
    assert "What I first wrote" in before and learner.display_name in before

    services.edit_post(learner, reply, "What I meant to say", None, services.version_of(reply))
    services.withdraw_post(learner, other)
    services.toggle_reaction(learner, posts_of(db, thread)[0], "helped")
    update_profile(learner, "Sam (they/them)", None)
    db.session.commit()

    after = page(client, cohort, thread)
    assert "What I meant to say" in after and "What I first wrote" not in after
    assert "Something I will take back" not in after and "withdrawn by its author" in after
    assert "Sam (they/them)" in after and learner.display_name in after
    helped = re.search(r'value="helped"[^>]*>This helped <span class="reaction__count">(\d+)</span>', after)
    assert helped and helped.group(1) == "1"
    assert "Earlier versions" in after  # the facilitator's own control, on the edited post only


def test_each_viewer_gets_their_own_controls_from_the_same_cached_post(client, auth, db, cohort, learner,
                                                                       facilitator, general_thread, app):
    from tests.conftest import login
    thread = general_thread(cohort, learner, body="My opening words")
    first = posts_of(db, thread)[0]
    services.toggle_reaction(learner, first, "thanks")
    auth.login(learner)
    mine = page(client, cohort, thread)
    other = app.test_client()
    login(other, facilitator.email)
    theirs = page(other, cohort, thread)
    assert f"/posts/{first.id}/edit" in mine and f"/posts/{first.id}/edit" not in theirs
    assert 'value="thanks" aria-pressed="true"' in mine.replace(' class="reaction"', "")
    assert 'value="thanks" aria-pressed="true"' not in theirs.replace(' class="reaction"', "")


def test_every_post_button_uses_the_one_actions_form_with_its_own_action(client, auth, db, cohort, learner,
                                                                         general_thread, write_reply):
    thread = general_thread(cohort, learner)
    for n in range(3):
        write_reply(thread, learner, f"Reply {n}")
    auth.login(learner)
    html = page(client, cohort, thread)
    assert html.count('<form id="post-actions" method="post"') == 1
    buttons = re.findall(r"<button [^>]*formaction=\"([^\"]+)\"[^>]*>", html)
    assert len(buttons) == 4 * 3  # three reactions on each of 4 posts; Withdraw is a link to a page that asks
    assert all('form="post-actions"' in b for b in re.findall(r"<button [^>]*formaction=[^>]*>", html))
    # The buttons post what a browser would send through that form: its token, their kind.
    token = re.search(r'id="post-actions"[^>]*><input type="hidden" name="csrf_token" value="([^"]+)"', html)
    first = posts_of(db, thread)[0]
    response = client.post(f"/cohorts/{cohort.id}/posts/{first.id}/react",
                           data={"csrf_token": token.group(1), "kind": "me_too"})
    assert response.status_code == 302
    assert 'value="me_too" aria-pressed="true"' in page(client, cohort, thread).replace(' class="reaction"', "")


def test_reading_again_writes_nothing_and_new_posts_move_the_mark(client, auth, db, cohort, learner, facilitator,
                                                                  general_thread, write_reply):
    thread = general_thread(cohort, facilitator)
    auth.login(learner)
    page(client, cohort, thread)
    writes = []
    from sqlalchemy import event
    listener = lambda conn, cursor, statement, *a: writes.append(statement)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        page(client, cohort, thread)
        assert not [s for s in writes if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
        write_reply(thread, facilitator, "Something new")
        writes.clear()
        assert "New since your last visit" in page(client, cohort, thread)
        assert [s for s in writes if s.lstrip().upper().startswith("INSERT INTO THREAD_READS")]
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert "New since your last visit" not in page(client, cohort, thread)


def test_an_older_read_mark_never_moves_the_mark_back(db, cohort, learner, facilitator, general_thread,
                                                      write_reply):
    from portal.discussions.models import ThreadRead
    thread = general_thread(cohort, facilitator)
    for n in range(3):
        write_reply(thread, facilitator, f"Reply {n}")
    services.mark_read(learner.id, thread, 4)
    services.mark_read(learner.id, thread, 2)  # a tab opened earlier reports in late
    assert db.session.get(ThreadRead, (learner.id, thread.id)).last_read_number == 4


def test_a_resent_reply_returns_the_first_and_a_repeat_is_refused_kindly(db, cohort, learner, general_thread):
    import pytest

    from portal.errors import RuleViolation
    thread = general_thread(cohort, learner)
    first = services.reply(learner, thread, "Thinking of you all", None, None, "token-1")
    assert services.reply(learner, thread, "Thinking of you all", None, None, "token-1").id == first.id
    with pytest.raises(RuleViolation, match="same words a few minutes ago"):
        services.reply(learner, thread, "Thinking of you all", None, None, "token-2")
    with pytest.raises(RuleViolation, match="same words a few minutes ago"):
        services.reply(learner, thread, "Thinking of you all", None, None, None)
    assert len(posts_of(db, thread)) == 2


def test_posting_a_reply_runs_the_same_few_queries_however_long_the_thread(client, auth, db, cohort, learner,
                                                                          facilitator, general_thread,
                                                                          write_reply, count_queries, queue_waits):
    thread = general_thread(cohort, facilitator)
    auth.login(learner)
    url = f"/cohorts/{cohort.id}/threads/{thread.id}"
    token = re.search(r'id="composer".*?name="csrf_token"[^>]*value="([^"]+)"', page(client, cohort, thread),
                      re.S).group(1)

    def reply(words: str) -> int:
        with count_queries() as n:
            response = client.post(url, data={"body": words, "client_token": words, "csrf_token": token})
        assert response.status_code == 302
        return n()

    short = reply("A first reply")
    for i in range(60):
        write_reply(thread, facilitator, f"Filling the thread {i}")
    assert reply("A reply to a long thread") == short <= 10
    assert len(posts_of(db, thread)) == 63


def test_a_reply_in_a_session_space_reads_its_moderation_level_without_a_query_of_its_own(
        client, auth, db, cohort, learner, open_sessions, count_queries, general_thread, facilitator, queue_waits):
    """The session's level comes with the openings the page reads anyway: a session reply costs what a
    general one does."""
    from tests.discussions.conftest import starter

    open_sessions(cohort, 2)
    auth.login(learner)
    counts = []
    for n, thread in enumerate((general_thread(cohort, facilitator), starter(db, cohort, 1))):
        url = f"/cohorts/{cohort.id}/threads/{thread.id}"
        token = re.search(r'id="composer".*?name="csrf_token"[^>]*value="([^"]+)"', page(client, cohort, thread),
                          re.S).group(1)
        with count_queries() as q:
            assert client.post(url, data={"body": f"Words {n}", "client_token": f"lv{n}",
                                          "csrf_token": token}).status_code == 302
        counts.append(q())
    assert counts[1] == counts[0] <= 10
