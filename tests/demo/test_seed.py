"""flask demo seed"""
from __future__ import annotations

from sqlalchemy import func, select

from portal.auth.models import User
from portal.cohorts.models import Cohort, Membership
from portal.demo.seed import DEMO_PASSWORD
from tests.conftest import REPO, login


def test_seed_is_idempotent_and_makes_the_promised_accounts(app, db, client):
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["demo", "seed"])
        assert result.exit_code == 0, result.output
        assert f"Demo password: {DEMO_PASSWORD}" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 12
    assert db.session.scalar(select(func.count()).select_from(Cohort)) == 2
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 11
    admin = db.session.scalars(User.select_by_email("admin@example.org")).one()
    assert admin.is_site_admin

    def cohort_of(email):
        return db.session.execute(
            select(Cohort.name, Membership.role).join(Membership).join(User)
            .where(User.email == email)).all()

    assert cohort_of("facilitator@example.org") == [("Demo cohort A", "facilitator")]
    assert cohort_of("facilitator2@example.org") == [("Demo cohort B", "facilitator")]
    assert cohort_of("learner1@example.org") == [("Demo cohort A", "learner")]
    assert cohort_of("learner9@example.org") == [("Demo cohort B", "learner")]
    assert login(client, "learner1@example.org", DEMO_PASSWORD).status_code == 302
    assert "Demo cohort A" in client.get("/home").get_data(as_text=True)


def test_demo_cohorts_have_open_sessions_agreements_and_attendance(app, db, client):
    from portal.attendance.models import Attendance
    from portal.cohorts.timetable import load_timetable

    assert app.test_cli_runner().invoke(args=["demo", "seed"]).exit_code == 0
    a, b = (db.session.scalars(select(Cohort).where(Cohort.name == n)).one() for n in ("Demo cohort A", "Demo cohort B"))
    # Five sessions held in cohort A (issue 12: its anonymous exercise is in session 5).
    assert [s.number for s in load_timetable(a.id) if s.is_open] == [1, 2, 3, 4, 5]
    assert [s.number for s in load_timetable(b.id) if s.is_open] == [1, 2]
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 6 * 5
    assert login(client, "learner6@example.org", DEMO_PASSWORD).status_code == 302
    assert client.get(f"/cohorts/{a.id}/").headers["Location"].startswith(f"/cohorts/{a.id}/agreement")
    other = app.test_client()
    login(other, "learner1@example.org", DEMO_PASSWORD)
    assert other.get(f"/cohorts/{a.id}/sessions/5").status_code == 200
    assert other.get(f"/cohorts/{a.id}/sessions/6").status_code == 404
    assert other.get(f"/cohorts/{b.id}/").status_code == 404


def test_demo_has_lively_discussions_in_cohort_a_and_a_few_in_b(app, db):
    from portal.discussions.models import Post, Reaction

    runner = app.test_cli_runner()
    runner.invoke(args=["demo", "seed"])
    runner.invoke(args=["demo", "seed"])  # idempotent
    a, b = (db.session.scalars(select(Cohort).where(Cohort.name == n)).one() for n in ("Demo cohort A", "Demo cohort B"))

    def members_posts(cohort):
        return db.session.scalars(select(Post).where(Post.cohort_id == cohort.id, Post.author_id.is_not(None))).all()

    posts_a = members_posts(a)
    assert len(posts_a) >= 12 and 0 < len(members_posts(b)) < len(posts_a)
    assert any(p.content_warning for p in posts_a)
    assert any(p.reply_to_id for p in posts_a)
    assert db.session.scalar(select(func.count()).select_from(Reaction)) > 0


def test_readme_states_the_demo_password():
    assert f"Demo password: `{DEMO_PASSWORD}`" in (REPO / "README.md").read_text()


def test_demo_facilitators_and_admin_have_two_factor_with_the_readme_secret(app, db):
    import re

    from portal.demo.seed import DEMO_TOTP_SECRET

    app.test_cli_runner().invoke(args=["demo", "seed"])
    readme = (REPO / "README.md").read_text()
    assert re.search(r"^Demo TOTP secret: `([A-Z2-7]+)`$", readme, re.M).group(1) == DEMO_TOTP_SECRET
    for email in ("admin@example.org", "facilitator@example.org", "facilitator2@example.org"):
        user = db.session.scalars(User.select_by_email(email)).one()
        assert user.totp_secret == DEMO_TOTP_SECRET and user.has_two_factor
    assert not db.session.scalars(User.select_by_email("learner1@example.org")).one().has_two_factor


def test_demo_cohort_a_has_one_held_post_with_its_alert(app, db):
    from portal.discussions.models import Post
    from portal.moderation.models import ModerationAlert

    for _ in range(2):  # seeding twice still makes one
        assert app.test_cli_runner().invoke(args=["demo", "seed"]).exit_code == 0
    (held,) = db.session.scalars(select(Post).where(Post.held_at.is_not(None))).all()
    assert held.is_held and held.held_reason == "safety_words"
    alert = db.session.scalars(select(ModerationAlert)).one()
    assert (alert.subject_kind, alert.subject_id) == ("post", held.id)


def test_demo_conversations_happen_in_order_after_their_sessions(app, db):
    """Starter prompts come before the replies to them, and nobody talks about a session before it is held."""
    from portal.cohorts.models import CohortSession
    from portal.dates import utcnow
    from portal.discussions.models import Post, Thread

    assert app.test_cli_runner().invoke(args=["demo", "seed"]).exit_code == 0
    held = {(e.cohort_id, e.course_session_id): e.starts_at for e in db.session.scalars(select(CohortSession))}
    problems = []
    for thread in db.session.scalars(select(Thread)):
        session_at = held.get((thread.cohort_id, thread.course_session_id))
        if session_at is not None and session_at > utcnow():
            continue  # not held yet: its prompts wait, undated by the demo
        posts = db.session.scalars(select(Post).where(Post.thread_id == thread.id).order_by(Post.number)).all()
        times = [p.created_at for p in posts]
        shown = [p.created_at for p in posts if not p.is_held]  # a held post moves last_post_at once released
        if times != sorted(times) or thread.created_at > times[0] or thread.last_post_at != shown[-1]:
            problems.append(f"{thread.title}: posts out of order")
        replies = [p for p in posts if p.author_id is not None]
        if replies and session_at is not None and replies[0].created_at < session_at:
            problems.append(f"{thread.title}: talked about before the session")
        if any(t > utcnow() for t in times):
            problems.append(f"{thread.title}: dated in the future")
    assert problems == []


def test_demo_cohort_a_has_responses_to_exercises_of_open_sessions_and_one_draft(app, db, client):
    from portal.cohorts.timetable import load_timetable
    from portal.exercises.models import Exercise
    from portal.exercises.response_models import ExerciseResponse

    runner = app.test_cli_runner()
    runner.invoke(args=["demo", "seed"])
    runner.invoke(args=["demo", "seed"])  # idempotent
    a = db.session.scalars(select(Cohort).where(Cohort.name == "Demo cohort A")).one()
    rows = db.session.execute(select(ExerciseResponse, Exercise).join(Exercise)).all()
    open_sessions = {s.session.id for s in load_timetable(a.id) if s.is_open}
    assert all(r.cohort_id == a.id and e.course_session_id in open_sessions for r, e in rows)
    assert len({e.id for _r, e in rows}) >= 2 and len({r.author_id for r, _e in rows}) >= 4
    assert [r.status for r, _e in rows].count("draft") == 1
    login(client, "learner1@example.org", DEMO_PASSWORD)
    shared = next(e for r, e in rows if e.slug == "something-that-helped")
    page = client.get(f"/cohorts/{a.id}/exercises/{shared.id}").get_data(as_text=True)
    assert "Walking groups" in page and "Still thinking about this one" not in page  # the draft is private
    assert "waiting for your response" in client.get(f"/cohorts/{a.id}/").get_data(as_text=True)


def _demo_feedback(db):
    """Who gave which feedback on whose response, in which exercise: by email and slug, not by id."""
    from sqlalchemy.orm import aliased

    from portal.exercises.feedback_models import Feedback
    from portal.exercises.models import Exercise
    from portal.exercises.response_models import ExerciseResponse

    reviewer, author = aliased(User), aliased(User)
    return sorted(tuple(r) for r in db.session.execute(
        select(Exercise.slug, reviewer.email, author.email, Feedback.status, Feedback.what_worked,
               Feedback.given_at, ExerciseResponse.feedback_read_at)
        .join(ExerciseResponse, ExerciseResponse.id == Feedback.response_id)
        .join(Exercise, Exercise.id == ExerciseResponse.exercise_id)
        .join(reviewer, reviewer.id == Feedback.reviewer_id).join(author, author.id == ExerciseResponse.author_id)))


def test_demo_feedback_in_open_and_allocated_mode_one_anonymous_and_learner1_has_some_to_read(app, db, client):
    from collections import Counter, defaultdict

    from portal.dates import utcnow
    from portal.exercises.feedback_models import ReviewAllocation
    from portal.exercises.models import Exercise
    from portal.exercises.response_models import ExerciseResponse

    runner = app.test_cli_runner()
    runner.invoke(args=["demo", "seed"])
    runner.invoke(args=["demo", "seed"])  # idempotent: nothing twice
    a = db.session.scalars(select(Cohort).where(Cohort.name == "Demo cohort A")).one()
    rows = _demo_feedback(db)
    modes = {e.slug: e for e in db.session.scalars(select(Exercise))}
    given = [r for r in rows if r[3] == "given"]
    assert {modes[r[0]].mode for r in given} >= {"open", "allocated", "facilitator-only"}
    for mode in ("open", "allocated"):
        assert len({r[1] for r in given if modes[r[0]].mode == mode}) >= 3, f"several learners give in {mode}"
    assert any(modes[r[0]].anonymous_reviewers for r in given), "one anonymous exercise has feedback"
    assert any(r[3] == "draft" for r in rows), "some feedback is begun, not yet given"
    assert all(r[5] < utcnow() for r in given) and len(set(rows)) == len(rows)
    # learner1's feedback waits to be read; someone else's has been read, with a note to take forward.
    assert any(r[2] == "learner1@example.org" and r[6] is None for r in given)
    assert any(r[6] is not None for r in given)

    # Allocated mode: every shared response has k reviewers, loads even, never oneself; every review is allocated.
    pairs = db.session.execute(select(ReviewAllocation.exercise_id, ReviewAllocation.reviewer_id,
                                      ReviewAllocation.author_id).where(ReviewAllocation.cohort_id == a.id)).all()
    by_exercise = defaultdict(list)
    for exercise_id, r, au in pairs:
        assert r != au
        by_exercise[exercise_id].append((r, au))
    assert by_exercise and all(db.session.get(Exercise, e).mode == "allocated" for e in by_exercise)
    for exercise_id, these in by_exercise.items():
        k = db.session.get(Exercise, exercise_id).reviewers_per_response
        assert set(Counter(au for _r, au in these).values()) == {k}
        assert set(Counter(r for r, _au in these).values()) == {k} and len(set(these)) == len(these)
    emails = {u.id: u.email for u in db.session.scalars(select(User))}
    allocated = {(db.session.get(Exercise, e).slug, emails[r], emails[au]) for e, r, au in pairs}
    assert all(r[:3] in allocated for r in rows if modes[r[0]].mode == "allocated")

    login(client, "learner1@example.org", DEMO_PASSWORD)
    home = client.get(f"/cohorts/{a.id}/").get_data(as_text=True)
    assert "New feedback on your response" in home and "waiting for your response" in home
    anonymous = next(e for e in modes.values() if e.anonymous_reviewers and any(r[0] == e.slug for r in given))
    mine = next(r for r in db.session.scalars(select(ExerciseResponse).where(
        ExerciseResponse.exercise_id == anonymous.id)) if emails[r.author_id] == "learner1@example.org")
    page = client.get(f"/cohorts/{a.id}/responses/{mine.id}").get_data(as_text=True)
    assert "Peer A" in page and "Dana Kowalski" not in page and "Efe Adeyemi" not in page


def test_demo_feedback_is_the_same_every_time(app, db):
    from portal.extensions import db as _db
    from tests.conftest import empty_tables

    assert app.test_cli_runner().invoke(args=["demo", "seed"]).exit_code == 0
    first = [r[:5] for r in _demo_feedback(db)]
    _db.session.remove()
    empty_tables()
    assert app.test_cli_runner().invoke(args=["demo", "seed"]).exit_code == 0
    assert [r[:5] for r in _demo_feedback(db)] == first and first


def test_demo_cohort_a_has_a_concern_with_a_follow_up_due_and_a_check_in(app, db, client):
    from portal.audit.models import AuditEvent
    from portal.dates import local_today
    from portal.safeguarding.concerns import followups_due
    from portal.safeguarding.models import CheckinMessage, Concern

    runner = app.test_cli_runner()
    runner.invoke(args=["demo", "seed"])
    runner.invoke(args=["demo", "seed"])  # idempotent
    a = db.session.scalars(select(Cohort).where(Cohort.name == "Demo cohort A")).one()
    assert db.session.scalar(select(func.count()).select_from(Concern)) == 1
    due = followups_due([a.id], local_today())
    assert len(due) == 1 and due[0].member_name
    assert db.session.scalar(select(func.count()).select_from(CheckinMessage)) == 2
    assert {"concern.opened", "concern.action_added"} <= set(db.session.scalars(select(AuditEvent.action)))
    login(client, "learner5@example.org", DEMO_PASSWORD)
    assert "I&#39;m okay" in client.get(f"/cohorts/{a.id}/messages").get_data(as_text=True)
    assert client.get(f"/cohorts/{a.id}/safeguarding").status_code == 404  # never for the person concerned
