"""Exercises load with the course: checked first, all or nothing, idempotent, retired rather than deleted."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.course.loader import load_content
from portal.course.models import CourseSession
from portal.exercises.models import Exercise


def _exercises(db):
    return db.session.scalars(select(Exercise).order_by(Exercise.slug)).all()


def test_load_creates_every_exercise_on_its_session_with_rendered_markdown(db, content):
    report = load_content(content)
    assert report.exercises.created == len(list((content / "exercises").glob("*.md")))
    assert report.created == 13  # the course's own counts are unchanged by exercises
    rows = {e.slug: e for e in _exercises(db)}
    story = rows["story-with-a-purpose"]
    session = db.session.get(CourseSession, story.course_session_id)
    assert session.number == 8
    assert story.prompt_html.startswith("<p>") and "## Guidance" not in story.prompt_source
    assert story.guidance_html.startswith("<p>") and story.self_check and len(story.self_check_questions) == 3
    language = rows["recovery-language"]
    assert language.example_response_html.startswith("<ol>")
    assert language.example_feedback["ratings"]["person-first"] == "strong"
    assert language.example_feedback["why"]["hope"].startswith("Sentence 5")
    assert language.example_feedback["what_worked"]["html"].startswith("<p>")
    assert language.example_feedback["to_consider"]["html"].startswith("<p>")
    assert rows["explaining-peer-support"].reviewers_per_response == 2
    assert rows["something-that-helped"].reviewers_per_response is None
    assert [e.slug for e in db.session.scalars(Exercise.select_live(session.id))] == [
        "have-you-used-services", "story-with-a-purpose"]


def test_reloading_changes_nothing_and_keeps_ids(db, content):
    load_content(content)
    before = {e.slug: (e.id, e.updated_at) for e in _exercises(db)}
    report = load_content(content)
    counts = report.exercises
    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, len(before))
    db.session.expire_all()
    assert {e.slug: (e.id, e.updated_at) for e in _exercises(db)} == before


def test_an_edit_updates_in_place(db, content):
    load_content(content)
    before = {e.slug: e.id for e in _exercises(db)}
    path = content / "exercises" / "09-reframing-without-dismissing.md"
    path.write_text(path.read_text().replace("Validating comes first", "Validating always comes first"))
    report = load_content(content)
    assert (report.exercises.created, report.exercises.updated) == (0, 1)
    db.session.expire_all()
    assert {e.slug: e.id for e in _exercises(db)} == before
    row = db.session.scalars(select(Exercise).where(Exercise.slug == "reframing-without-dismissing")).one()
    assert "Validating always comes first" in row.guidance_html


def test_a_removed_exercise_is_retired_not_deleted_and_returns_when_restored(db, content, app):
    load_content(content)
    path = content / "exercises" / "06-one-idea-to-take-forward.md"
    saved = path.read_text()
    path.unlink()
    report = load_content(content)
    assert report.exercises.retired == ["one-idea-to-take-forward"]
    row = db.session.scalars(select(Exercise).where(Exercise.slug == "one-idea-to-take-forward")).one()
    assert row.retired_at is not None
    assert db.session.scalars(Exercise.select_live(row.course_session_id)).all() == []
    again = load_content(content)
    assert again.exercises.retired == []  # already retired: not reported twice
    path.write_text(saved)
    load_content(content)
    db.session.expire_all()
    assert db.session.get(Exercise, row.id).retired_at is None


def test_the_cli_reports_exercises_too(app, db, content):
    result = app.test_cli_runner().invoke(args=["content", "load", "--path", str(content)])
    assert result.exit_code == 0, result.output
    assert "13 new" in result.output and "Exercises: 11 new, 0 updated, 0 unchanged." in result.output
    (content / "exercises" / "10-risk-and-goals.md").unlink()
    result = app.test_cli_runner().invoke(args=["content", "load", "--path", str(content)])
    assert "Exercises no longer in the files, kept but hidden: risk-and-goals" in result.output


def test_the_database_refuses_an_unknown_mode(db, content):
    from sqlalchemy.exc import IntegrityError

    load_content(content)
    row = _exercises(db)[0]
    row.mode = "peer"
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_cohort_can_hold_one_mode_setting_per_exercise(db, content, make_cohort):
    from sqlalchemy.exc import IntegrityError

    from portal.exercises.models import CohortExerciseSetting

    load_content(content)
    cohort = make_cohort()
    exercise = _exercises(db)[0]
    db.session.add(CohortExerciseSetting(cohort_id=cohort.id, exercise_id=exercise.id, mode="facilitator-only"))
    db.session.commit()
    db.session.add(CohortExerciseSetting(cohort_id=cohort.id, exercise_id=exercise.id, mode="open"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(CohortExerciseSetting)) == 1


def test_an_exercise_may_ask_its_own_self_check_questions(db, content):
    path = content / "exercises" / "09-reframing-without-dismissing.md"
    path.write_text(path.read_text().replace("give_before_get: true",
                                             'give_before_get: true\nself_check:\n  - "Is this mine to share?"'))
    load_content(content)
    row = db.session.scalars(select(Exercise).where(Exercise.slug == "reframing-without-dismissing")).one()
    assert row.self_check and row.self_check_questions == ["Is this mine to share?"]
