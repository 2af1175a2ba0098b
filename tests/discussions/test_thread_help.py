"""Issue 11 and 10 #9: withdraw asks first, reply-to shows and cancels, skip links, pages past the end,
share-first counts and times, thread titles in search."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import update

from portal.dates import utcnow
from portal.discussions.models import Post, Thread
from tests.conftest import post
from tests.discussions.conftest import posts_of


def c(cohort, path):
    return f"/cohorts/{cohort.id}/{path}"


def test_withdrawing_asks_first_and_works_without_javascript(client, auth, db, cohort, learner, general_thread,
                                                             write_reply):
    thread = general_thread(cohort, learner)
    mine = write_reply(thread, learner, "Something I may take back")
    auth.login(learner)
    page = client.get(c(cohort, f"threads/{thread.id}")).get_data(as_text=True)
    assert f'formaction="/cohorts/{cohort.id}/posts/{mine.id}/withdraw"' not in page  # no one-click withdraw
    assert f'href="/cohorts/{cohort.id}/posts/{mine.id}/withdraw"' in page
    ask = client.get(c(cohort, f"posts/{mine.id}/withdraw"))
    text = ask.get_data(as_text=True)
    assert ask.status_code == 200 and "Withdraw this post?" in text and "Something I may take back" in text
    assert "Yes, withdraw it" in text and f'href="/cohorts/{cohort.id}/posts/{mine.id}"' in text  # or keep it
    assert posts_of(db, thread)[1].withdrawn_at is None  # asking changes nothing
    assert post(client, c(cohort, f"posts/{mine.id}/withdraw")).status_code == 302
    assert posts_of(db, thread)[1].withdrawn_at is not None


def test_replying_to_says_to_whom_and_can_be_cancelled_without_javascript(client, auth, db, cohort, learner,
                                                                         facilitator, general_thread):
    thread = general_thread(cohort, facilitator)
    first = posts_of(db, thread)[0]
    auth.login(learner)
    url = c(cohort, f"threads/{thread.id}")
    page = client.get(f"{url}?reply_to={first.id}").get_data(as_text=True)
    assert re.search(r"Replying to <a href=\"#post-%d\">Fran Facilitator</a>" % first.id, page)
    assert 'value="cancel_reply"' in page and "Cancel reply" in page
    cancelled = post(client, url, {"body": "Half a thought", "reply_to": str(first.id), "action": "cancel_reply"})
    text = cancelled.get_data(as_text=True)
    assert cancelled.status_code == 200 and "Half a thought" in text and "Replying to" not in text
    assert "There is a problem" not in text and len(posts_of(db, thread)) == 1  # nothing posted or refused
    plain = client.get(url).get_data(as_text=True)
    assert "Replying to" not in plain and "Cancel reply" not in plain


def test_thread_page_has_skip_links_to_the_first_unread_post_and_the_reply_box(client, auth, db, cohort, learner,
                                                                                facilitator, general_thread,
                                                                                write_reply):
    thread = general_thread(cohort, facilitator)
    for n in range(3):
        write_reply(thread, facilitator, f"Reply {n}")
    auth.login(learner)
    url = c(cohort, f"threads/{thread.id}")
    first = client.get(url).get_data(as_text=True)
    assert 'href="#body"' in first and "Skip to the reply box" in first
    for n in range(3):
        write_reply(thread, facilitator, f"Later {n}")
    again = client.get(url).get_data(as_text=True)
    assert 'href="#new"' in again and "Skip to the first unread post" in again
    assert again.index("Skip to the first unread post") < again.index('class="posts"')


def test_a_page_past_the_end_goes_to_the_last_page(client, auth, db, cohort, learner, facilitator, general_thread,
                                                   write_reply, app):
    thread = general_thread(cohort, facilitator)
    app.config["POSTS_PER_PAGE"] = 2
    try:
        for n in range(3):
            write_reply(thread, facilitator, f"Reply {n}")
        auth.login(learner)
        response = client.get(c(cohort, f"threads/{thread.id}?page=999"))
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/threads/{thread.id}?page=2")
    finally:
        app.config["POSTS_PER_PAGE"] = 50


def test_share_first_lists_do_not_reveal_hidden_replies(client, auth, db, cohort, learner, facilitator,
                                                        make_user, enrol, general_thread, write_reply):
    other = make_user(name="Other Learner")
    enrol(other, cohort)
    thread = general_thread(cohort, facilitator, title="First thoughts", share_first=True)
    opened = utcnow() - timedelta(days=3)
    db.session.execute(update(Thread).where(Thread.id == thread.id).values(created_at=opened))
    db.session.execute(update(Post).where(Post.thread_id == thread.id).values(created_at=opened))
    db.session.commit()
    write_reply(thread, other, "Other's honest answer")
    write_reply(thread, other, "And another")
    auth.login(learner)
    client.get(c(cohort, f"threads/{thread.id}"))  # read what they can see: the opening post
    listing = client.get(c(cohort, "discussions/general")).get_data(as_text=True)
    item = listing[listing.index("First thoughts"):].split("</li>")[0]
    assert "0 replies" in item and "new" not in item
    assert opened.date().isoformat() in item  # last post: the one they can see, not the hidden reply
    assert "with new posts" not in client.get(c(cohort, "discussions")).get_data(as_text=True)

    post(client, c(cohort, f"threads/{thread.id}"), {"body": "My own answer", "client_token": "s1"})
    write_reply(thread, other, "After mine")
    listing = client.get(c(cohort, "discussions/general")).get_data(as_text=True)
    item = listing[listing.index("First thoughts"):].split("</li>")[0]
    assert "4 replies" in item and "1 new" in item  # now everything shows, and counts


def test_search_finds_thread_titles_first(client, auth, db, cohort, learner, facilitator, general_thread,
                                          write_reply, make_user, enrol):
    titled = general_thread(cohort, facilitator, title="Boundaries at work", body="Let's talk about this.")
    other = general_thread(cohort, facilitator, title="Something else", body="My boundaries are shaky.")
    hidden = general_thread(cohort, facilitator, title="Boundaries, share first", body="Write first.",
                            share_first=True)
    stranger = make_user(name="Someone")
    enrol(stranger, cohort)
    write_reply(hidden, stranger, "A hidden reply about boundaries")
    auth.login(learner)
    page = client.get(c(cohort, "search?q=boundaries")).get_data(as_text=True)
    assert "Let&#39;s talk about this." in page or "Let's talk about this." in page
    assert page.index("Boundaries at work") < page.index("My boundaries are shaky")
    assert "A hidden reply about boundaries" not in page
    assert titled and other
