"""Recovery-language hints and the confidentiality reminder in the composer: suggestions, never a block."""
from __future__ import annotations

from sqlalchemy import select

from portal.discussions.models import Post, Thread
from tests.conftest import login, post
from tests.discussions.conftest import posts_of

WORDING = "A thought on wording"
DETAILS = "Before you post"
AFTER = "About your post"
TEXT = "My brother suffers from anxiety. Call him on 07700 900123."


def c(cohort, path):
    return f"/cohorts/{cohort.id}/{path}"


def test_preview_without_javascript_shows_the_hints_above_the_preview(client, auth, cohort, learner):
    auth.login(learner)
    response = post(client, c(cohort, "discussions/general/new"),
                    {"title": "Hello", "body": TEXT, "action": "preview"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert WORDING in page and "“suffers from”: you might try “lives with”" in page
    assert DETAILS in page and "a phone number (07700 900123)" in page
    assert f'href="/cohorts/{cohort.id}/agreement"' in page and "other people's details" in page
    assert page.index(WORDING) < page.index('aria-label="Preview"')
    assert TEXT in page  # the words stay in the box


def test_a_reply_preview_shows_hints_and_plain_words_show_none(client, auth, cohort, learner, general_thread):
    thread = general_thread(cohort, learner)
    auth.login(learner)
    page = post(client, c(cohort, f"threads/{thread.id}"),
                {"body": "That was crazy, email me at lee@example.org", "action": "preview"}).get_data(as_text=True)
    assert WORDING in page and "“crazy”" in page and "an email address (lee@example.org)" in page
    page = post(client, c(cohort, f"threads/{thread.id}"),
                {"body": "Thank you, Fran Facilitator, that helped.", "action": "preview"}).get_data(as_text=True)
    assert WORDING not in page and DETAILS not in page  # a cohort member's name is no outsider's


def test_posting_is_never_blocked_and_the_author_sees_the_hints_once(client, app, db, cohort, learner,
                                                                      facilitator, auth):
    auth.login(learner)
    response = post(client, c(cohort, "discussions/general/new"), {"title": "Hard week", "body": TEXT})
    assert response.status_code == 302
    thread = db.session.scalars(select(Thread).where(Thread.title == "Hard week")).one()
    first = posts_of(db, thread)[0]
    assert first.body_source == TEXT
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert AFTER in page and "a phone number" in page and "07700" in page  # the post itself
    assert "07700 900123)" not in page  # the reminder names the kind of detail, not the words
    assert WORDING in page and f'href="/cohorts/{cohort.id}/posts/{first.id}/edit"' in page
    again = client.get(response.headers["Location"]).get_data(as_text=True)
    assert AFTER not in again and WORDING not in again  # once
    other = app.test_client()
    login(other, facilitator.email)
    seen = other.get(response.headers["Location"]).get_data(as_text=True)
    assert AFTER not in seen and WORDING not in seen and "suffers from anxiety" in seen


def test_a_reply_and_an_edit_bring_their_hints_to_the_author_after_posting(client, db, cohort, learner, auth,
                                                                            general_thread):
    thread = general_thread(cohort, learner)
    auth.login(learner)
    response = post(client, c(cohort, f"threads/{thread.id}"), {"body": "He committed suicide last year."})
    assert response.status_code == 302
    reply = posts_of(db, thread)[-1]
    page = client.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "“committed suicide”: you might try “died by suicide”" in page and reply.body_source.startswith("He")
    response = post(client, c(cohort, f"posts/{reply.id}/edit"),
                    {"body": "I spoke to Rachel Green about it.", "version": _version(client, cohort, reply)})
    assert response.status_code == 302
    page = client.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert AFTER in page and "someone&#39;s full name" in page and WORDING not in page


def _version(client, cohort, reply) -> str:
    import re
    page = client.get(c(cohort, f"posts/{reply.id}/edit")).get_data(as_text=True)
    return re.search(r'name="version" type="hidden" value="([^"]*)"', page).group(1)


def test_plain_posts_leave_nothing_behind_and_the_thread_page_costs_no_extra_query(
        client, db, cohort, learner, auth, general_thread, count_queries):
    thread = general_thread(cohort, learner)
    auth.login(learner)
    url = c(cohort, f"threads/{thread.id}")
    post(client, url, {"body": "A plain reply."})
    client.get(url)
    with count_queries() as n:
        plain = client.get(url).get_data(as_text=True)
    few = n()
    post(client, url, {"body": "It's crazy; ring 07700 900123"})
    with count_queries() as n:
        page = client.get(url).get_data(as_text=True)
    assert AFTER in page and AFTER not in plain and n() == few


def test_hints_for_another_thread_are_not_shown_here(client, db, cohort, learner, auth, general_thread):
    one = general_thread(cohort, learner, title="One", body="First")
    two = general_thread(cohort, learner, title="Two", body="Second")
    auth.login(learner)
    post(client, c(cohort, f"threads/{one.id}"), {"body": "so crazy"})
    assert WORDING not in client.get(c(cohort, f"threads/{two.id}")).get_data(as_text=True)
    assert WORDING not in client.get(c(cohort, f"threads/{one.id}")).get_data(as_text=True)  # dropped, not kept


def test_the_live_hints_endpoint_answers_with_the_inset_or_nothing(client, cohort, learner, auth,
                                                                   assert_isolated):
    auth.login(learner)
    page = post(client, c(cohort, "hints"), {"body": "She suffers from it, see 14 Station Road"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and WORDING in text and "a street address or postcode (14 Station Road)" in text
    assert post(client, c(cohort, "hints"), {"body": "All good here."}).get_data(as_text=True).strip() == ""
    assert post(client, c(cohort, "hints"), {"body": "x" * 200_001}).status_code == 413
    assert_isolated(c(cohort, "hints"), method="POST", data={"body": "crazy"})


def test_the_composer_offers_the_live_hints_a_place(client, cohort, learner, auth):
    auth.login(learner)
    page = client.get(c(cohort, "discussions/general/new")).get_data(as_text=True)
    assert f'data-hints-url="/cohorts/{cohort.id}/hints"' in page and "data-composer-hints" in page


def test_quoted_words_of_others_bring_no_hint(client, db, cohort, learner, auth, general_thread):
    thread = general_thread(cohort, learner)
    auth.login(learner)
    page = post(client, c(cohort, f"threads/{thread.id}"),
                {"body": "> my mum suffers from it, call 07700 900123\n\nThank you for sharing.",
                 "action": "preview"}).get_data(as_text=True)
    assert WORDING not in page and DETAILS not in page
    assert db.session.scalar(select(Post).where(Post.body_source.contains("Thank you for sharing"))) is None


def test_preview_while_editing_shows_hints_and_saves_nothing(client, db, cohort, learner, auth, general_thread):
    thread = general_thread(cohort, learner, body="First words")
    first = posts_of(db, thread)[0]
    auth.login(learner)
    response = post(client, c(cohort, f"posts/{first.id}/edit"), {
        "body": "She suffers from it", "version": _version(client, cohort, first), "action": "preview"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and WORDING in page and "<p>She suffers from it</p>" in page
    assert posts_of(db, thread)[0].body_source == "First words"  # a preview is not a save
