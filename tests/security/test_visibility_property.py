"""One visibility rule: whatever is listed to someone (thread lists, thread pages, search) is a subset
of what the single per-item check allows. Random cohorts, members and content from hypothesis."""
from __future__ import annotations

import itertools
from datetime import timedelta

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from portal.cohorts.models import CohortSession
from portal.cohorts.openings import open_cohort, readable_cohort_ids, reads_content
from portal.dates import utcnow
from portal.discussions import queries
from portal.discussions.joined import unread_in_joined_threads
from portal.discussions.models import Post, Thread
from portal.discussions.visibility import can_view_post, select_visible_posts, viewer_for
from portal.extensions import db
from portal.search import match_posts

_names = itertools.count(1)

# Held content (safety words or a pre-moderated session): waiting, released, or kept for the facilitators.
HELD_STATES = [None, None, "safety_words", "pre_moderation", "released", "kept"]
post_spec = st.tuples(st.integers(0, 4), st.booleans(), st.sampled_from(HELD_STATES))  # (author, withdrawn, held)
thread_spec = st.tuples(st.sampled_from([None, 1, 2, 3]), st.booleans(),  # space, share-first
                        st.lists(post_spec, min_size=1, max_size=5))
world_spec = st.tuples(st.integers(0, 3),  # sessions opened by date
                       st.lists(thread_spec, min_size=1, max_size=5),
                       st.lists(st.sampled_from(["learner", "facilitator"]), min_size=2, max_size=5))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(world_spec)
@example((1, [(None, False, [(0, False, "safety_words"), (1, False, None), (0, False, "pre_moderation"),
                             (1, False, "kept"), (0, False, None)]),
              (None, False, [(1, False, "pre_moderation"), (0, False, None)])], ["learner", "learner", "facilitator"]))
def test_every_list_is_a_subset_of_the_per_item_rule(db, make_user, make_cohort, enrol, world):
    from portal.discussions.models import ThreadRead
    opened, threads, roles = world
    cohort = make_cohort(f"Property cohort {next(_names)}")
    people = [make_user(name=f"P{next(_names)}") for _ in roles]
    for person, role in zip(people, roles):
        enrol(person, cohort, role)
    members = len(people)
    # A site admin sees what the facilitators see only with the cohort open to them now; without, nothing.
    roles = [*roles, "site admin opened", "site admin"]
    people.append(make_user(name=f"A{next(_names)}", admin=True))
    people.append(make_user(name=f"B{next(_names)}", admin=True))
    open_cohort(people[-2], cohort.id, "Property test", 30)
    entries = [e for e, _ in db.session.execute(CohortSession.select_timetable(cohort.id))]
    for entry in entries[:opened]:
        entry.starts_at = utcnow() - timedelta(hours=1)
    sessions = {n: e.course_session_id for n, e in enumerate(entries, start=1)}
    for space, share_first, posts in threads:
        thread = Thread(cohort_id=cohort.id, course_session_id=sessions[space] if space else None,
                        title="T", share_first=share_first, post_count=len(posts))
        db.session.add(thread)
        db.session.flush()
        writers = [people[author % members] for author, _w, _h in posts]  # members write
        thread.author_id = writers[0].id
        for number, ((author, withdrawn, held), writer) in enumerate(zip(posts, writers), start=1):
            post = Post(cohort_id=cohort.id, thread_id=thread.id, number=number,
                        author_id=writer.id, body_source="shared words",
                        body_html="<p>shared words</p>", withdrawn_at=utcnow() if withdrawn else None)
            if held:
                post.held_at, post.held_reason = utcnow(), "safety_words" if held != "pre_moderation" else held
                post.released_at = utcnow() if held == "released" else None
                post.reviewed_at = utcnow() if held == "kept" else None
            if post.is_held:
                thread.held_count += 1
                if number == 1:
                    thread.held_at = post.held_at
            db.session.add(post)
    db.session.commit()

    for person, role in zip(people, roles):
        sees_everything = reads_content(person, cohort.id)
        assert sees_everything == (role in ("facilitator", "site admin opened"))
        if role == "site admin":
            assert cohort.id not in readable_cohort_ids(person)  # no list of this cohort is built for them
            continue
        viewer = viewer_for(person, cohort, sees_everything)
        all_threads = db.session.scalars(select(Thread).where(Thread.cohort_id == cohort.id)).all()
        for thread in all_threads:
            state = queries.load_thread_state(viewer, thread.id)
            rows = {r.thread.id: r for r in queries.load_thread_list(viewer, thread.course_session_id)}
            space_open = thread.course_session_id is None or thread.course_session_id in viewer.open_session_ids
            held_from_them = (thread.held_at is not None and role == "learner" and thread.author_id != person.id)
            assert (thread.id in rows) == (space_open and not held_from_them)
            if not space_open or held_from_them:
                for post in db.session.scalars(select(Post).where(Post.thread_id == thread.id)):
                    assert not can_view_post(viewer, post, thread, state.has_replied)
                continue
            loaded = queries.load_posts_page(viewer, state, 1)
            for row in loaded.posts:
                assert can_view_post(viewer, row, thread, state.has_replied)
            every = db.session.scalars(select(Post).where(Post.thread_id == thread.id)).all()
            allowed = {p.id for p in every if can_view_post(viewer, p, thread, state.has_replied)}
            assert {row.id for row in loaded.posts} == allowed  # nothing missing either (under 50 posts)
            assert loaded.pages == 1 and len(loaded.posts) == len(allowed)
            for post in every:  # held content: only its author and those who see everything
                if post.is_held and can_view_post(viewer, post, thread, state.has_replied):
                    assert role != "learner" or post.author_id == person.id
            if not thread.share_first:  # counts and "new" marks reveal no post the viewer can't see
                assert rows[thread.id].replies == len(allowed) - 1
                assert rows[thread.id].unread == len(allowed)
                db.session.merge(ThreadRead(user_id=person.id, thread_id=thread.id, last_read_number=2))
                db.session.commit()
                row = {r.thread.id: r for r in queries.load_thread_list(viewer, thread.course_session_id)}[thread.id]
                assert row.unread == len([p for p in every if p.id in allowed and p.number > 2])
                unread = {sid: n for sid, (_t, n) in queries.space_summaries(viewer).items()}
                assert unread.get(thread.course_session_id, 0) >= (1 if row.unread else 0)
                # (the mark stays: other threads' marks must not count here, nor other people's)
        # The home pages' "new replies in threads you've joined" counts exactly what the rule allows.
        expected = {}
        for thread in all_threads:
            every = db.session.scalars(select(Post).where(Post.thread_id == thread.id)).all()
            if not any(p.author_id == person.id and p.withdrawn_at is None for p in every):
                continue
            if thread.course_session_id is not None and thread.course_session_id not in viewer.open_session_ids:
                continue
            if thread.held_at is not None and role == "learner" and thread.author_id != person.id:
                continue
            replied = queries.load_thread_state(viewer, thread.id).has_replied
            read = db.session.scalar(select(ThreadRead.last_read_number).where(
                ThreadRead.user_id == person.id, ThreadRead.thread_id == thread.id)) or 0
            n = sum(1 for p in every if p.author_id != person.id and p.withdrawn_at is None and p.number > read
                    and can_view_post(viewer, p, thread, replied))
            if n:
                expected[thread.id] = n
        counted = unread_in_joined_threads([viewer])[cohort.id]
        assert {t.thread_id: t.new_replies for t in counted} == expected
        found = db.session.execute(match_posts(select_visible_posts(viewer, include_withdrawn=False),
                                               Post.id, "shared")).all()
        for post, thread in found:
            state = queries.load_thread_state(viewer, thread.id)
            assert post.cohort_id == cohort.id and post.withdrawn_at is None
            assert can_view_post(viewer, post, thread, state.has_replied)
    elsewhere = make_cohort(f"Elsewhere {next(_names)}")
    stranger = make_user(name=f"S{next(_names)}")
    enrol(stranger, elsewhere, "facilitator")
    theirs = viewer_for(stranger, elsewhere, True)
    seen = db.session.execute(select_visible_posts(theirs)).all()
    assert all(post.cohort_id == elsewhere.id for post, _thread in seen)


# ---- exercise responses -----------------------------------------------------------------------------

response_spec = st.tuples(st.integers(0, 4), st.booleans(), st.sampled_from(HELD_STATES))  # (author, submitted, held)
exercise_spec = st.tuples(st.sampled_from([1, 2, 3]), st.sampled_from(["open", "allocated", "facilitator-only"]),
                          st.sampled_from([None, "open", "facilitator-only"]),  # the cohort's own choice
                          st.lists(response_spec, max_size=5))
response_world = st.tuples(st.integers(0, 3), st.lists(exercise_spec, min_size=1, max_size=4),
                           st.lists(st.sampled_from(["learner", "facilitator"]), min_size=2, max_size=5),
                           st.lists(st.tuples(st.integers(0, 4), st.integers(0, 19)), max_size=8))  # allocations


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(response_world)
@example((1, [(1, "allocated", None, [(0, True, None), (1, True, None)])], ["learner", "learner"], [(1, 0), (0, 1)]))
@example((1, [(1, "open", None, [(0, True, "safety_words"), (1, True, None), (2, True, "released")])],
          ["learner", "learner", "learner"], [(1, 0)]))
def test_every_response_list_is_exactly_the_per_item_rule(db, make_user, make_cohort, enrol, world):
    from portal.exercises import queries as exercise_queries
    from portal.exercises.models import CohortExerciseSetting
    from portal.exercises.response_models import ExerciseResponse
    from portal.exercises.responses import effective_mode
    from portal.exercises.visibility import can_view_response, select_visible_responses
    from tests.exercises.factories import add_exercise

    from portal.exercises.feedback_models import ReviewAllocation

    opened, exercises, roles, allocations = world
    cohort = make_cohort(f"Response cohort {next(_names)}")
    people = [make_user(name=f"R{next(_names)}") for _ in roles]
    for person, role in zip(people, roles):
        enrol(person, cohort, role)
    entries = [e for e, _ in db.session.execute(CohortSession.select_timetable(cohort.id))]
    for entry in entries[:opened]:
        entry.starts_at = utcnow() - timedelta(hours=1)
    made = []
    for number, mode, chosen, responses in exercises:
        exercise = add_exercise(cohort.course_id, number, slug=f"p-{next(_names)}", mode=mode)
        if chosen:
            db.session.add(CohortExerciseSetting(cohort_id=cohort.id, exercise_id=exercise.id, mode=chosen))
        authors = {}
        for author, submitted, held in responses:
            authors[people[author % len(people)].id] = (submitted, held)  # one response each
        for author_id, (submitted, held) in authors.items():
            response = ExerciseResponse(cohort_id=cohort.id, exercise_id=exercise.id, author_id=author_id,
                                        body_source="w", body_html="<p>w</p>", version=1,
                                        status="submitted" if submitted else "draft",
                                        submitted_at=utcnow() if submitted else None)
            if held and submitted:
                response.held_at, response.held_reason = utcnow(), "safety_words"
                response.released_at = utcnow() if held == "released" else None
                response.reviewed_at = utcnow() if held == "kept" else None
            db.session.add(response)
        made.append(exercise)
    db.session.commit()
    every = db.session.scalars(select(ExerciseResponse).where(ExerciseResponse.cohort_id == cohort.id)).all()
    pairs = set()  # (reviewer, response): allocated for feedback, whatever the mode or state
    for reviewer, index in allocations:
        if every:
            response, person = every[index % len(every)], people[reviewer % len(people)]
            if (person.id, response.id) not in pairs:
                pairs.add((person.id, response.id))
                db.session.add(ReviewAllocation(cohort_id=cohort.id, exercise_id=response.exercise_id,
                                                response_id=response.id, reviewer_id=person.id,
                                                author_id=response.author_id))
    db.session.commit()

    for person, role in zip(people, roles):
        viewer = viewer_for(person, cohort, role == "facilitator")
        listed = {r.id for r, _e in db.session.execute(select_visible_responses(viewer)).all()}
        allowed = set()
        for response in every:
            exercise = next(e for e in made if e.id == response.exercise_id)
            own_submitted = any(r.author_id == person.id and r.exercise_id == exercise.id and r.is_submitted
                                for r in every)
            if can_view_response(viewer, response, exercise, effective_mode(cohort.id, exercise), own_submitted,
                                 (person.id, response.id) in pairs):
                allowed.add(response.id)
        assert listed == allowed
        if role == "learner":  # held responses: their author and the facilitators only
            assert not any(r.is_held and r.author_id != person.id for r in every if r.id in allowed)
        for exercise in made:  # the exercise page's list: others' responses, by the same rule
            page = {r.id for r, _name in exercise_queries.visible_responses(viewer, exercise.id)}
            assert page == {r.id for r in every if r.id in allowed and r.exercise_id == exercise.id
                            and r.author_id != person.id}
    elsewhere = make_cohort(f"Elsewhere {next(_names)}")
    stranger = make_user(name=f"S{next(_names)}")
    enrol(stranger, elsewhere, "facilitator")
    assert db.session.execute(select_visible_responses(viewer_for(stranger, elsewhere, True))).all() == []


# ---- feedback on responses ---------------------------------------------------------------------------

feedback_spec = st.tuples(st.integers(0, 4), st.integers(0, 4), st.sampled_from(["draft", "given"]), st.booleans(),
                          st.sampled_from([None, "safety_words", "released"]))  # ..., held
feedback_world = st.tuples(st.lists(st.sampled_from(["learner", "facilitator"]), min_size=2, max_size=5),
                           st.lists(feedback_spec, max_size=10), st.booleans())  # ..., anonymous reviewers


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(feedback_world)
@example((["learner", "learner", "facilitator"], [(1, 0, "given", False, None), (2, 0, "given", True, None),
                                                   (0, 1, "draft", False, None), (0, 2, "given", False, "safety_words")],
          True))
def test_feedback_is_read_only_by_its_author_reviewer_and_facilitators(db, make_user, make_cohort, enrol, world):
    """Given feedback: the response's author (unless hidden), its reviewer and facilitators. Drafts: the
    reviewer (facilitators only learn that it has started). Anonymous: the author never gets a name."""
    from portal.exercises.feedback_models import Feedback
    from portal.exercises.feedback_page import build_panel
    from tests.exercises.factories import add_exercise, add_response

    roles, items, anonymous = world
    cohort = make_cohort(f"Feedback cohort {next(_names)}")
    people = [make_user(name=f"F{next(_names)}") for _ in roles]
    for person, role in zip(people, roles):
        enrol(person, cohort, role)
    exercise = add_exercise(cohort.course_id, 1, slug=f"f-{next(_names)}")
    exercise.anonymous_reviewers = anonymous
    responses = [add_response(cohort, exercise, p) for p in people]
    made = {}
    for reviewer, author, status, hidden, held in items:
        who, response = people[reviewer % len(people)], responses[author % len(responses)]
        if who.id == response.author_id or (who.id, response.id) in made:
            continue
        item = Feedback(cohort_id=cohort.id, response_id=response.id, reviewer_id=who.id, what_worked="w",
                        what_worked_html="<p>w</p>", ratings={}, status=status,
                        given_at=utcnow() if status == "given" else None,
                        hidden_at=utcnow() if hidden and status == "given" else None)
        if held and status == "given":
            item.held_at, item.held_reason = utcnow(), held if held != "released" else "safety_words"
            item.released_at = utcnow() if held == "released" else None
        db.session.add(item)
        made[(who.id, response.id)] = item
    db.session.commit()
    names = {p.id: p.display_name for p in people}
    for person, role in zip(people, roles):
        facilitating = role == "facilitator"
        for response in responses:
            panel = build_panel(person.id, facilitating, response, exercise, [])
            on_it = [f for (r, rid), f in made.items() if rid == response.id]
            expected = {f.id for f in on_it if f.is_given and (
                facilitating or (response.author_id == person.id and f.hidden_at is None and not f.is_held))}
            assert {s.feedback.id for s in panel.shown} == expected
            own = made.get((person.id, response.id))
            assert (panel.own.id if panel.own else None) == (own.id if own else None)
            if not facilitating:
                assert panel.started == [] and panel.allocated == []
            if response.author_id == person.id and anonymous and not facilitating:
                assert all(s.who.startswith("Peer ") for s in panel.shown)
                assert not {s.who for s in panel.shown} & set(names.values())


# ---- content hidden by a facilitator (or by several flags) ------------------------------------------

hidden_post = st.tuples(st.integers(0, 4), st.sampled_from([None, "facilitator", "flags"]), st.booleans())
hidden_world = st.tuples(st.lists(st.tuples(st.booleans(), st.lists(hidden_post, min_size=1, max_size=5)),
                                  min_size=1, max_size=4),  # (share-first, posts: author, hidden by, withdrawn)
                         st.lists(st.sampled_from(["learner", "facilitator"]), min_size=2, max_size=5))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(hidden_world)
@example(([(False, [(0, "facilitator", False), (1, "flags", False), (1, None, False)])], ["learner", "learner"]))
def test_hidden_words_reach_only_their_author_and_facilitators(app, db, make_user, make_cohort, enrol, world):
    """Hidden posts stay in every list as a placeholder (counts and pages don't change), but their words reach
    only their author and the facilitators: on thread pages, in search, in "new replies" and permalinks."""
    from portal.discussions.render import PageContext, PostLinks, post_body, render_posts
    from portal.discussions.visibility import hidden_from

    threads, roles = world
    cohort = make_cohort(f"Hidden cohort {next(_names)}")
    people = [make_user(name=f"H{next(_names)}") for _ in roles]
    for person, role in zip(people, roles):
        enrol(person, cohort, role)
    fac = next((p for p, r in zip(people, roles) if r == "facilitator"), None)
    words = {}
    for share_first, posts in threads:
        thread = Thread(cohort_id=cohort.id, title="T", share_first=share_first, post_count=len(posts))
        db.session.add(thread)
        db.session.flush()
        for number, (author, hidden_by, withdrawn) in enumerate(posts, start=1):
            text = f"hiddenword{next(_names)}"
            post = Post(cohort_id=cohort.id, thread_id=thread.id, number=number,
                        author_id=people[author % len(people)].id, body_source=text, body_html=f"<p>{text}</p>",
                        withdrawn_at=utcnow() if withdrawn else None,
                        hidden_at=utcnow() if hidden_by else None, hidden_reason="A reason" if hidden_by else None,
                        hidden_by_id=(fac.id if fac else people[0].id) if hidden_by == "facilitator" else None)
            db.session.add(post)
            db.session.flush()
            words[post.id] = text
    db.session.commit()
    every = db.session.scalars(select(Post).where(Post.cohort_id == cohort.id)).all()

    for person, role in zip(people, roles):
        facilitating = role == "facilitator"
        viewer = viewer_for(person, cohort, facilitating)

        def may_read(p):
            return p.withdrawn_at is None and not hidden_from(p, person.id, facilitating)

        with app.test_request_context():
            for thread in db.session.scalars(select(Thread).where(Thread.cohort_id == cohort.id)):
                state = queries.load_thread_state(viewer, thread.id)
                rows = queries.load_posts_page(viewer, state, 1).posts
                allowed = [p for p in every if p.thread_id == thread.id
                           and can_view_post(viewer, p, thread, state.has_replied)]
                assert {r.id for r in rows} == {p.id for p in allowed}  # hidden posts still counted
                html = render_posts(rows, PageContext(PostLinks("/p/", "/t", "Europe/London", True, True),
                                                      person.id, 0, facilitating), "token")
                for p in allowed:
                    if p.id not in words:  # the course's own starter posts
                        continue
                    assert (words[p.id] in html) == may_read(p), (role, p.id)
                    # a permalink's page, a revision or a response: the same placeholder rule
                    assert (words[p.id] in post_body(p, not hidden_from(p, person.id, facilitating))) == may_read(p)
        found = db.session.execute(match_posts(select_visible_posts(viewer, include_withdrawn=False),
                                               Post.id, "hiddenword*")).all()
        for post, _thread in found:
            assert may_read(post)
        counted = unread_in_joined_threads([viewer])[cohort.id]
        for joined in counted:
            thread = db.session.get(Thread, joined.thread_id)
            replied = queries.load_thread_state(viewer, thread.id).has_replied
            expected = sum(1 for p in every if p.thread_id == thread.id and p.author_id != person.id
                           and may_read(p) and can_view_post(viewer, p, thread, replied))
            assert joined.new_replies == expected
