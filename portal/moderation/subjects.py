"""What can be flagged and moderated, found the same way everywhere: a post, a thread, a response, feedback.

`load_subject` finds an item through its cohort; `visible_to` asks each area's own visibility rule whether
a person may see it, so a flag form can never reveal what the page itself would refuse.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from sqlalchemy import exists, select

from portal.auth.models import User
from portal.discussions.models import Post, Thread
from portal.discussions.visibility import Viewer, can_view_post, space_is_open
from portal.exercises.feedback_models import Feedback, ReviewAllocation
from portal.exercises.models import Exercise
from portal.exercises.response_models import ExerciseResponse
from portal.extensions import db

# The address's word for each kind: /cohorts/1/posts/5/flag
KIND_OF_PATH = {"posts": "post", "threads": "thread", "responses": "response", "feedback": "feedback"}
PATH_OF_KIND = {v: k for k, v in KIND_OF_PATH.items()}
NOUNS = {"post": "post", "thread": "thread", "response": "exercise response", "feedback": "piece of feedback"}


@dataclass
class Subject:
    kind: str
    id: int
    cohort_id: int
    author_id: int | None
    item: object  # the Post, Thread, ExerciseResponse or Feedback
    thread: Thread | None = None  # posts and threads
    exercise: Exercise | None = None  # responses and feedback
    response: ExerciseResponse | None = None  # feedback: the response it is on
    opening: Post | None = None  # threads: the opening post, which hiding and editing act on

    @property
    def noun(self) -> str:
        return NOUNS[self.kind]

    @property
    def withdrawn(self) -> bool:
        target = self.target
        return target is not None and getattr(target, "withdrawn_at", None) is not None

    @property
    def target(self):
        """The row that carries hidden_* (a thread's opening post)."""
        return self.opening if self.kind == "thread" else self.item

    @property
    def hidden(self) -> bool:
        target = self.target
        return target is not None and target.hidden_at is not None


def load_subject(kind: str, item_id: int, cohort_id: int) -> Subject | None:
    """The item of this cohort, or None: one query (two for a thread)."""
    if kind == "post":
        row = db.session.execute(select(Post, Thread).join(Thread, Thread.id == Post.thread_id)
                                 .where(Post.id == item_id, Post.cohort_id == cohort_id)).first()
        return Subject("post", item_id, cohort_id, row[0].author_id, row[0], thread=row[1]) if row else None
    if kind == "thread":
        row = db.session.execute(select(Thread, Post).outerjoin(Post, (Post.thread_id == Thread.id) & (Post.number == 1))
                                 .where(Thread.id == item_id, Thread.cohort_id == cohort_id)).first()
        return Subject("thread", item_id, cohort_id, row[0].author_id, row[0], thread=row[0], opening=row[1]) \
            if row else None
    if kind == "response":
        row = db.session.execute(select(ExerciseResponse, Exercise).join(Exercise, Exercise.id == ExerciseResponse.exercise_id)
                                 .where(ExerciseResponse.id == item_id, ExerciseResponse.cohort_id == cohort_id)).first()
        return Subject("response", item_id, cohort_id, row[0].author_id, row[0], exercise=row[1]) if row else None
    if kind == "feedback":
        row = db.session.execute(
            select(Feedback, ExerciseResponse, Exercise)
            .join(ExerciseResponse, ExerciseResponse.id == Feedback.response_id)
            .join(Exercise, Exercise.id == ExerciseResponse.exercise_id)
            .where(Feedback.id == item_id, Feedback.cohort_id == cohort_id, Feedback.status == "given")).first()
        return Subject("feedback", item_id, cohort_id, row[0].reviewer_id, row[0], exercise=row[2], response=row[1]) \
            if row else None
    return None


def visible_to(subject: Subject, viewer: Viewer) -> bool:
    """Whether the viewer may see this item at all, by the rule of its own area."""
    if subject.kind in ("post", "thread"):
        from portal.discussions.queries import load_thread_state

        state = load_thread_state(viewer, subject.thread.id)
        if state is None or not space_is_open(viewer, subject.thread.course_session_id):
            return False
        return subject.kind == "thread" or can_view_post(viewer, subject.item, subject.thread, state.has_replied)
    if subject.kind == "response":
        return _response_visible(subject.item, subject.exercise, viewer)
    if subject.kind == "feedback":
        return _feedback_visible(subject, viewer)
    return False


def _response_visible(response: ExerciseResponse, exercise: Exercise, viewer: Viewer) -> bool:
    from portal.exercises.queries import find_response, own_responses
    from portal.exercises.visibility import can_view_response

    found = find_response(viewer.cohort_id, response.id)
    if found is None:
        return False
    own = own_responses(viewer.user_id, viewer.cohort_id).get(exercise.id)
    own_submitted = response.author_id == viewer.user_id or (own is not None and own.is_submitted)
    allocated = bool(db.session.scalar(select(exists().where(ReviewAllocation.response_id == response.id,
                                                             ReviewAllocation.reviewer_id == viewer.user_id))))
    return can_view_response(viewer, response, exercise, found[2], own_submitted, allocated)


def _feedback_visible(subject: Subject, viewer: Viewer) -> bool:
    """Given feedback: its reviewer and facilitators; the response's author once they may read it."""
    from portal.exercises.feedback_page import give_first
    from portal.exercises.queries import find_response

    feedback, response = subject.item, subject.response
    if not space_is_open(viewer, subject.exercise.course_session_id):
        return False
    if viewer.sees_everything or feedback.reviewer_id == viewer.user_id:
        return True
    if response.author_id != viewer.user_id or feedback.hidden_at is not None:
        return False
    found = find_response(viewer.cohort_id, response.id)
    return found is not None and give_first(viewer.user_id, response, subject.exercise, found[2])[0] is None


def permalink(kind: str, item_id: int, cohort_id: int, response_id: int | None = None) -> str:
    """Where an item is read in its own page."""
    if kind == "post":
        return url_for("discussions.permalink", cohort_id=cohort_id, post_id=item_id)
    if kind == "thread":
        return url_for("discussions.thread", cohort_id=cohort_id, thread_id=item_id)
    if kind == "response":
        return url_for("exercises.response", cohort_id=cohort_id, response_id=item_id)
    return url_for("exercises.response", cohort_id=cohort_id, response_id=response_id or 0)


def subject_link(subject: Subject) -> str:
    return permalink(subject.kind, subject.id, subject.cohort_id,
                     subject.response.id if subject.response is not None else None)


def author_name(user_id: int | None) -> str:
    return (db.session.scalar(select(User.display_name).where(User.id == user_id)) if user_id else None) or "the course"
