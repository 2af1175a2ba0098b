"""What a response page shows of its feedback, for whoever is looking: a fixed number of queries.

- The author reads given feedback that hasn't been hidden; on anonymous exercises reviewers are
  "Peer A", "Peer B"... (stable: in the order feedback was given) and nothing about them reaches the page.
- A reviewer reads their own feedback (and a facilitator's reason, if it was hidden).
- Facilitators read all given feedback with names, and see who has started.
- Nobody else reads feedback on someone else's response.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from string import ascii_uppercase

from sqlalchemy import func, select

from portal.auth.models import User
from portal.exercises.feedback_models import Feedback, ReviewAllocation
from portal.exercises.models import CohortExerciseSetting, Exercise
from portal.exercises.response_models import ExerciseResponse
from portal.extensions import db


@dataclass(frozen=True)
class Shown:
    feedback: Feedback
    who: str  # the reviewer's name, or "Peer A" for the author of an anonymous exercise
    peer: str  # the "Peer A" label (facilitators see both)


@dataclass
class Panel:
    shown: list[Shown] = field(default_factory=list)
    started: list[str] = field(default_factory=list)  # facilitators: reviewers with a saved draft
    allocated: list[str] = field(default_factory=list)  # facilitators: reviewers allocated
    own: Feedback | None = None  # the viewer's own feedback
    viewer_allocated: bool = False
    withheld: str | None = None  # the author must give before they get: why they can't read it yet
    released: bool = True  # "give before you get": feedback has been released (or the rule doesn't apply)


def peer_label(n: int) -> str:
    return f"Peer {ascii_uppercase[n]}" if n < 26 else f"Peer {n + 1}"


def allocations_of(response_id: int) -> list[tuple[int, str]]:
    return [tuple(r) for r in db.session.execute(
        select(ReviewAllocation.reviewer_id, User.display_name).join(User, User.id == ReviewAllocation.reviewer_id)
        .where(ReviewAllocation.response_id == response_id).order_by(User.display_name, User.id))]


def give_first(author_id: int, response: ExerciseResponse, exercise: Exercise, mode: str) -> tuple[str | None, bool]:
    """"Give before you get": (why the author can't read their feedback yet, or None; whether a facilitator
    has released it). In allocated mode the author gives all the feedback allocated to them, in open mode
    at least one; facilitator-only exercises have nothing to give first."""
    if not exercise.give_before_get or mode == "facilitator-only":
        return None, True
    released_for_all, allocated, given = db.session.execute(select(
        select(CohortExerciseSetting.feedback_released_at).where(
            CohortExerciseSetting.cohort_id == response.cohort_id, CohortExerciseSetting.exercise_id == exercise.id)
        .scalar_subquery(),
        select(func.count()).select_from(ReviewAllocation).where(
            ReviewAllocation.cohort_id == response.cohort_id, ReviewAllocation.exercise_id == exercise.id,
            ReviewAllocation.reviewer_id == author_id).scalar_subquery(),
        select(func.count()).select_from(Feedback).join(ExerciseResponse, ExerciseResponse.id == Feedback.response_id)
        .where(ExerciseResponse.cohort_id == response.cohort_id, ExerciseResponse.exercise_id == exercise.id,
               Feedback.reviewer_id == author_id, Feedback.status == "given").scalar_subquery())).one()
    released = response.feedback_released_at is not None or released_for_all is not None
    needed = allocated if mode == "allocated" else 1
    if released or given >= needed:
        return None, released
    so_far = f" ({given} of {needed} given so far)" if mode == "allocated" else ""
    return ("In this exercise you read the feedback on your response once you have given your own feedback"
            f"{so_far}, or when your facilitator releases it."), False


def build_panel(viewer_id: int, facilitating: bool, response: ExerciseResponse, exercise: Exercise,
                allocations: list[tuple[int, str]], mode: str = "open") -> Panel:
    rows = db.session.execute(
        select(Feedback, User.display_name).join(User, User.id == Feedback.reviewer_id)
        .where(Feedback.response_id == response.id)
        .order_by(Feedback.given_at.is_(None), Feedback.given_at, Feedback.id)).all()
    panel = Panel(viewer_allocated=any(r == viewer_id for r, _ in allocations))
    labels = {f.id: peer_label(n) for n, (f, _name) in enumerate(r for r in rows if r[0].is_given)}
    mine = response.author_id == viewer_id
    if mine or facilitating:
        panel.withheld, panel.released = give_first(response.author_id, response, exercise, mode)
    for feedback, name in rows:
        if feedback.reviewer_id == viewer_id:
            panel.own = feedback
        if not feedback.is_given:
            if facilitating:
                panel.started.append(name)
            continue
        if facilitating:
            panel.shown.append(Shown(feedback, name, labels[feedback.id]))
        elif mine and feedback.hidden_at is None and not feedback.is_held and panel.withheld is None:
            who = labels[feedback.id] if exercise.anonymous_reviewers else name
            panel.shown.append(Shown(feedback, who, labels[feedback.id]))
    if facilitating:
        panel.allocated = [name for _r, name in allocations]
    if not mine:
        panel.withheld = None  # facilitators see it all; `released` says whether the author can
    return panel
