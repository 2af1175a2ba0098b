"""A learner can choose any display name, even a facilitator's: the thread says who really facilitates."""
from __future__ import annotations

import re

from portal.auth.models import User


def _headers(body: str) -> list[str]:
    return re.findall(r'<header class="post__header">(.*?)</header>', body, re.S)


def test_a_facilitators_posts_carry_a_badge_a_namesake_learner_can_not_copy(client, auth, db, cohort, learner,
                                                                           facilitator, general_thread,
                                                                           write_reply, count_queries):
    db.session.get(User, learner.id).display_name = "Fran Facilitator"  # the same name as the facilitator
    db.session.commit()
    thread = general_thread(cohort, facilitator)
    write_reply(thread, learner, "Hello from the namesake")
    auth.login(learner)
    url = f"/cohorts/{cohort.id}/threads/{thread.id}"
    client.get(url)
    with count_queries() as n:
        body = client.get(url).get_data(as_text=True)
    queries = n()
    real, namesake = _headers(body)
    assert "Fran Facilitator" in real and '<span class="tag">Facilitator</span>' in real
    assert "Fran Facilitator" in namesake and 'class="tag"' not in namesake
    for i in range(5):
        write_reply(thread, facilitator if i % 2 else learner, f"More {i}")
    client.get(url)
    with count_queries() as n:
        client.get(url)
    assert n() == queries  # the badge comes with the posts' own query


def test_the_thread_list_says_who_facilitates_beside_the_starter(client, auth, db, cohort, learner, facilitator,
                                                                general_thread):
    db.session.get(User, learner.id).display_name = "Fran Facilitator"
    db.session.commit()
    general_thread(cohort, facilitator)
    general_thread(cohort, learner)
    auth.login(learner)
    body = client.get(f"/cohorts/{cohort.id}/discussions/general").get_data(as_text=True)
    metas = re.findall(r'<span class="thread-list__meta hint">(.*?)</span>\s*</li>', body, re.S)
    by_facilitator = [m for m in metas if '<span class="tag">Facilitator</span>' in m]
    assert len(metas) == 2 and len(by_facilitator) == 1  # the namesake learner's thread has no badge
