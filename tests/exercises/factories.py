"""Exercises and responses for tests, without reading content/."""
from __future__ import annotations

from sqlalchemy import select

from portal.course.models import CourseSession
from portal.exercises.models import Exercise
from portal.exercises.response_models import ExerciseResponse
from portal.extensions import db
from portal.markdown import render_markdown

STEPS = [{"label": label, "sentence": f"The response is {label} here."}
         for label in ("not yet", "emerging", "clear", "strong")]
CRITERIA = [{"key": key, "name": key.capitalize(), "description": f"How {key} the response is.", "steps": STEPS}
            for key in ("mutual", "authentic", "intentional", "recovery")]
QUESTIONS = ["Whose need does this serve?", "Why now?", "How much detail is enough?"]


def add_exercise(course, number: int = 1, *, slug: str | None = None, mode: str = "open",
                 self_check: bool = False, due_days: int = 7) -> Exercise:
    course_id = getattr(course, "id", course)  # a course or its id
    session = db.session.scalars(select(CourseSession).where(CourseSession.course_id == course_id,
                                                             CourseSession.number == number)).one()
    slug = slug or f"exercise-{number}-{mode}-{int(self_check)}"
    exercise = Exercise(course_id=course_id, course_session_id=session.id, slug=slug, title=f"Practice {slug}",
                        prompt_source="Write what you would say.", prompt_html="<p>Write what you would say.</p>",
                        guidance_source="Take your time.", guidance_html="<p>Take your time.</p>", mode=mode,
                        reviewers_per_response=2 if mode == "allocated" else None,
                        responses_due_days=due_days, feedback_due_days=due_days + 7, self_check=self_check,
                        self_check_questions=QUESTIONS if self_check else [], criteria=CRITERIA)
    db.session.add(exercise)
    db.session.commit()
    return exercise


def add_response(cohort, exercise, author, body: str = "My response", *, submitted: bool = True) -> ExerciseResponse:
    from portal.dates import utcnow
    response = ExerciseResponse(cohort_id=cohort.id, exercise_id=exercise.id, author_id=author.id, body_source=body,
                                body_html=render_markdown(body), status="submitted" if submitted else "draft",
                                submitted_at=utcnow() if submitted else None, version=1)
    db.session.add(response)
    db.session.commit()
    return response


REFERENCE = {"mutual": "strong", "authentic": "clear", "intentional": "strong", "recovery": "clear"}


def add_example(exercise, response: str = "I would say: *yes, I have*, and ask how they are.") -> Exercise:
    """Give an exercise a made-up example with reference feedback, as the loader stores it."""
    exercise.example_response_source = response
    exercise.example_response_html = render_markdown(response)
    exercise.example_feedback = {
        "what_worked": {"source": "Short and warm.", "html": "<p>Short and warm.</p>"},
        "ratings": dict(REFERENCE), "why": {key: f"Why {key} is {label}." for key, label in REFERENCE.items()},
        "to_consider": {"source": "One concrete detail.", "html": "<p>One concrete detail.</p>"}}
    db.session.commit()
    return exercise
