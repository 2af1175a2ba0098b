"""Anonymous reviewers: nothing the author receives about their response names or points to a reviewer.

Reviewers get ids far from every other id here, so an id in the author's HTML can only be theirs."""
from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import update

from portal.auth.models import User
from portal.dates import local_today
from portal.exercises.feedback_models import ReviewAllocation
from tests.conftest import login, post
from tests.exercises.factories import CRITERIA, add_exercise, add_response

REVIEWERS = [(90_417, "Zebedee Quillfeather", "zq.secret@example.org"),
             (90_683, "Marisol Vantongeren", "mv.hidden@example.org")]
RATED = {f"rating-{c['key']}": "clear" for c in CRITERIA}


def c(cohort, path: str) -> str:
    return f"/cohorts/{cohort.id}/{path}"


def signed_in(app, user):
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


def leaks(text: str, reviewer_id: int, name: str, email: str) -> list[str]:
    found = []
    first, last = name.split()
    for word in (name, first, last, email, email.split("@")[0]):
        if word.lower() in text.lower():
            found.append(word)
    if re.search(rf"(?<![0-9]){reviewer_id}(?![0-9])", text):
        found.append(f"id {reviewer_id}")
    initials = first[0] + last[0]
    if re.search(rf">\s*{initials}\s*<|\"{initials}\"|'{initials}'", text):
        found.append(f"initials {initials}")
    return found


@pytest.fixture
def anonymous_world(app, db, course, cohort, learner, facilitator, make_user, enrol, timetable):
    timetable(cohort)[0].day = local_today() - timedelta(days=1)
    db.session.commit()
    exercise = add_exercise(course, 1, mode="allocated")
    exercise.anonymous_reviewers = True
    db.session.commit()
    mine = add_response(cohort, exercise, learner, "My words to be read")
    reviewers = []
    for rid, name, email in REVIEWERS:
        person = make_user(email, name=name)
        db.session.execute(update(User).where(User.id == person.id).values(id=rid))
        db.session.commit()
        person = db.session.get(User, rid)
        enrol(person, cohort)
        add_response(cohort, exercise, person, f"{name}'s own response")
        db.session.add(ReviewAllocation(cohort_id=cohort.id, exercise_id=exercise.id, response_id=mine.id,
                                        reviewer_id=rid, author_id=learner.id))
        reviewers.append(person)
    db.session.commit()
    for person in reviewers:
        answer = post(signed_in(app, person), c(cohort, f"responses/{mine.id}/feedback"),
                      {"body": "You said it kindly", "intent": "give", "client_token": f"t{person.id}", **RATED})
        assert answer.status_code == 302
    return exercise, mine, reviewers


def test_the_author_receives_nothing_that_identifies_a_reviewer(app, cohort, learner, anonymous_world, outbox):
    exercise, mine, _reviewers = anonymous_world
    client = signed_in(app, learner)
    pages = ["/home", c(cohort, ""), c(cohort, "sessions/1"), c(cohort, "exercises"),
             c(cohort, f"exercises/{exercise.id}"), c(cohort, f"responses/{mine.id}"),
             c(cohort, f"responses/{mine.id}/feedback")]
    received = {}
    for url in pages:
        answer = client.get(url)
        assert answer.status_code == 200, url
        received[url] = answer.get_data(as_text=True)
    saved = post(client, c(cohort, "drafts"), {"key": f"response:{exercise.id}", "body": "typing", "token": "1"})
    received["drafts JSON"] = json.dumps(saved.get_json())
    received["email"] = "".join(str(m) for m in outbox())
    problems = {where: found for where, text in received.items()
                for rid, name, email in REVIEWERS if (found := leaks(text, rid, name, email))}
    assert problems == {}
    page = received[c(cohort, f"responses/{mine.id}")]
    assert "Peer A" in page and "Peer B" in page and "You said it kindly" in page


def test_peer_labels_are_stable(app, cohort, learner, anonymous_world):
    _exercise, mine, _reviewers = anonymous_world
    client = signed_in(app, learner)
    first = re.findall(r"From (Peer [A-Z])", client.get(c(cohort, f"responses/{mine.id}")).get_data(as_text=True))
    again = re.findall(r"From (Peer [A-Z])", client.get(c(cohort, f"responses/{mine.id}")).get_data(as_text=True))
    assert first == again == ["Peer A", "Peer B"]


def test_facilitators_always_see_who_wrote_what(app, cohort, facilitator, anonymous_world):
    _exercise, mine, _reviewers = anonymous_world
    page = signed_in(app, facilitator).get(c(cohort, f"responses/{mine.id}")).get_data(as_text=True)
    assert all(name in page for _rid, name, _email in REVIEWERS)
    assert "the author sees “Peer A”" in page
