"""The moderation queue: open alerts and open flags, grouped by item, safety first then oldest.

Each item comes with its words, the thread around it (a few posts before and after) and the history of
earlier flags and moderation actions on the same author in the same cohort. A fixed number of queries
whatever the size of the queue (at most 9; tests/moderation/test_queue.py counts them).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from flask import url_for
from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import aliased

from portal.audit.models import AuditEvent
from portal.audit.services import ACTION_LABELS
from portal.auth.models import User
from portal.cohorts.models import Cohort, Membership
from portal.cohorts.timetable import load_timetables
from portal.discussions.models import Post, Thread
from portal.exercises.feedback_models import Feedback
from portal.exercises.models import Exercise
from portal.exercises.response_models import ExerciseResponse
from portal.dates import utcnow
from portal.extensions import db
from portal.moderation.flag_models import SAFETY_FLAG, Flag
from portal.moderation.models import SAFETY_REASONS, ModerationAlert
from portal.moderation.restrictions import restricted_sql
from portal.moderation.subjects import Subject, permalink

CONTEXT = 2  # posts shown before and after a flagged post
HISTORY_MAX = 200  # rows of history read for the whole page

ACTION_LABELS.update({
    "flag.dismissed": "Flags dismissed", "item.hidden": "Hidden by a facilitator",
    "item.hidden_by_flags": "Hidden after several flags", "item.restored": "Shown again",
    "item.edited": "Edited by a facilitator", "thread.locked": "Thread locked", "thread.unlocked": "Thread unlocked",
    "thread.moved": "Thread moved", "member.muted": "Muted", "member.unmuted": "Mute lifted",
    "member.suspended": "Suspended from the cohort", "member.suspension_lifted": "Suspension lifted",
    "alert.handled": "Looked at: nothing to do",
})
HELD_REASONS = ("safety_words", "pre_moderation")
HELD_KINDS = ("post", "response", "feedback")  # what can be held (a held thread is its opening post)


def item_link(alert, response_id: int | None = None) -> str:
    """Where the queue sends a facilitator for an alert's item: held content to its review page (release or
    keep), anything else to its permalink."""
    if alert.reason in HELD_REASONS and alert.subject_kind in HELD_KINDS:
        return url_for("holding.review", cohort_id=alert.cohort_id, kind=alert.subject_kind, item_id=alert.subject_id)
    return permalink(alert.subject_kind, alert.subject_id, alert.cohort_id, response_id)


@dataclass
class History:
    at: datetime
    what: str
    who: str | None
    detail: str | None


@dataclass
class QueueItem:
    kind: str
    id: int
    cohort_id: int
    cohort_name: str
    alerts: list = field(default_factory=list)
    flags: list = field(default_factory=list)  # (Flag, flagger's name)
    subject: Subject | None = None
    author_name: str | None = None
    place: Membership | None = None  # the author's membership: mute and suspend
    title: str = ""  # the thread or exercise it belongs to
    context: list = field(default_factory=list)  # (Post, author's name) around a post
    history: list[History] = field(default_factory=list)
    sessions: list = field(default_factory=list)  # the cohort's slots, to move a thread

    @property
    def key(self) -> tuple[str, int]:
        return self.kind, self.id

    @property
    def is_safety(self) -> bool:
        return any(a.reason in SAFETY_REASONS for a in self.alerts) or any(f.reason == SAFETY_FLAG for f, _ in self.flags)

    @property
    def since(self) -> datetime:
        return min([a.created_at for a in self.alerts] + [f.created_at for f, _ in self.flags])

    @property
    def link(self) -> str:
        response_id = self.subject.response.id if self.subject is not None and self.subject.response else None
        held = next((a for a in self.alerts if a.reason in HELD_REASONS), None)
        if held is not None:
            return item_link(held, response_id)
        return permalink(self.kind, self.id, self.cohort_id, response_id)


ALERT_WORDS = {"safety_words": "Held: it may show someone at risk", "safety_flag": "A member is worried about "
               "someone's safety", "pre_moderation": "Held for a look before it is shared",
               "flag_threshold": "Hidden after several flags"}


def page_helpers() -> dict:
    """What the queue's templates need besides the items."""
    from portal.moderation.restrictions import until_words
    from portal.moderation.subjects import NOUNS, PATH_OF_KIND

    return {"paths": PATH_OF_KIND, "nouns": NOUNS, "alert_words": ALERT_WORDS, "held": HELD_REASONS,
            "item_link": item_link, "until": until_words, "now": utcnow()}


def restricted_members(cohort_id: int) -> list:
    """Members of the cohort muted or suspended now, with their names: one query."""
    now = utcnow()
    return db.session.execute(
        select(Membership, User.display_name).join(User, User.id == Membership.user_id)
        .where(Membership.cohort_id == cohort_id, restricted_sql(now))
        .order_by(User.display_name)).all()


def follow_ups_due(cohort_ids: list[int] | None) -> list:
    """Safeguarding follow-ups that have come due, for the top of the queue (one query)."""
    from portal.dates import local_today
    from portal.safeguarding.concerns import followups_due

    return followups_due(cohort_ids, local_today())


def load_queue(cohort_ids: list[int] | None) -> list[QueueItem]:
    """Every open alert and flag of these cohorts (None: all cohorts), grouped by item, safety first then oldest."""
    items: dict[tuple[str, int], QueueItem] = {}
    alert_q = select(ModerationAlert, Cohort.name).join(Cohort, Cohort.id == ModerationAlert.cohort_id).where(
        ModerationAlert.handled_at.is_(None))
    flag_q = (select(Flag, User.display_name, Cohort.name).join(Cohort, Cohort.id == Flag.cohort_id)
              .outerjoin(User, User.id == Flag.flagger_id).where(Flag.resolved_at.is_(None)))
    if cohort_ids is not None:
        alert_q, flag_q = alert_q.where(ModerationAlert.cohort_id.in_(cohort_ids)), flag_q.where(
            Flag.cohort_id.in_(cohort_ids))
    for alert, cohort_name in db.session.execute(alert_q.order_by(ModerationAlert.created_at)):
        _item(items, alert.subject_kind, alert.subject_id, alert.cohort_id, cohort_name).alerts.append(alert)
    for flag, flagger, cohort_name in db.session.execute(flag_q.order_by(Flag.created_at)):
        _item(items, flag.subject_kind, flag.subject_id, flag.cohort_id, cohort_name).flags.append(
            (flag, flagger or "A former member"))
    if not items:
        return []
    _load_subjects(items)
    _load_history(items)
    slots = load_timetables(sorted({i.cohort_id for i in items.values() if i.kind in ("post", "thread")}))
    for item in items.values():
        item.sessions = slots.get(item.cohort_id, [])
    return sorted(items.values(), key=lambda i: (not i.is_safety, i.since, i.id))


def _item(items, kind: str, item_id: int, cohort_id: int, cohort_name: str) -> QueueItem:
    if (kind, item_id) not in items:
        items[(kind, item_id)] = QueueItem(kind, item_id, cohort_id, cohort_name)
    return items[(kind, item_id)]


def _ids(items, kind: str) -> list[int]:
    return sorted(i.id for i in items.values() if i.kind == kind)


def _place_join(author_column, cohort_column):
    return and_(Membership.cohort_id == cohort_column, Membership.user_id == author_column)


def _load_subjects(items) -> None:
    """The items with their authors and the authors' places, and the posts around each flagged post or thread:
    a query per kind present (three at most)."""
    post_ids, thread_ids = _ids(items, "post"), _ids(items, "thread")
    if post_ids or thread_ids:
        # The flagged posts and their neighbours in one query: the window around a post holds the post itself,
        # and a thread's window (its first posts) holds its opening post.
        flagged = aliased(Post)
        near_flagged = exists().where(flagged.id.in_(post_ids), flagged.thread_id == Post.thread_id,
                                      Post.number.between(flagged.number - CONTEXT, flagged.number + CONTEXT))
        rows = db.session.execute(
            select(Post, Thread, User.display_name, Membership).join(Thread, Thread.id == Post.thread_id)
            .outerjoin(User, User.id == Post.author_id)
            .outerjoin(Membership, _place_join(Post.author_id, Post.cohort_id))
            .where(or_(near_flagged, and_(Post.thread_id.in_(thread_ids), Post.number <= 1 + 2 * CONTEXT)))
            .order_by(Post.thread_id, Post.number)).all()
        for post, thread, name, place in rows:
            if (item := items.get(("post", post.id))) is not None and item.cohort_id == post.cohort_id:
                _fill(item, Subject("post", post.id, post.cohort_id, post.author_id, post, thread=thread), name,
                      place, thread.title)
            if post.number == 1 and (item := items.get(("thread", thread.id))) is not None \
                    and item.cohort_id == thread.cohort_id:
                _fill(item, Subject("thread", thread.id, thread.cohort_id, thread.author_id, thread, thread=thread,
                                    opening=post), name, place, thread.title)
        _fill_context(items, [(post, name) for post, _thread, name, _place in rows])
    if response_ids := _ids(items, "response"):
        rows = db.session.execute(
            select(ExerciseResponse, Exercise, User.display_name, Membership)
            .join(Exercise, Exercise.id == ExerciseResponse.exercise_id).join(User, User.id == ExerciseResponse.author_id)
            .outerjoin(Membership, _place_join(ExerciseResponse.author_id, ExerciseResponse.cohort_id))
            .where(ExerciseResponse.id.in_(response_ids)))
        for response, exercise, name, place in rows:
            if (item := items.get(("response", response.id))) is not None and item.cohort_id == response.cohort_id:
                _fill(item, Subject("response", response.id, response.cohort_id, response.author_id, response,
                                    exercise=exercise), name, place, exercise.title)
    if feedback_ids := _ids(items, "feedback"):
        rows = db.session.execute(
            select(Feedback, ExerciseResponse, Exercise, User.display_name, Membership)
            .join(ExerciseResponse, ExerciseResponse.id == Feedback.response_id)
            .join(Exercise, Exercise.id == ExerciseResponse.exercise_id).join(User, User.id == Feedback.reviewer_id)
            .outerjoin(Membership, _place_join(Feedback.reviewer_id, Feedback.cohort_id))
            .where(Feedback.id.in_(feedback_ids)))
        for feedback, response, exercise, name, place in rows:
            if (item := items.get(("feedback", feedback.id))) is not None and item.cohort_id == feedback.cohort_id:
                _fill(item, Subject("feedback", feedback.id, feedback.cohort_id, feedback.reviewer_id, feedback,
                                    exercise=exercise, response=response), name, place, exercise.title)


def _fill(item: QueueItem, subject: Subject, name: str | None, place, title: str) -> None:
    item.subject, item.author_name, item.place, item.title = subject, name or "From the course", place, title


def _fill_context(items, posts) -> None:
    """A few posts before and after each flagged post (a thread: its first posts), from the posts loaded."""
    by_thread = defaultdict(list)
    for post, name in posts:
        by_thread[post.thread_id].append((post, name or "From the course"))
    for item in items.values():
        if item.subject is None or item.kind not in ("post", "thread"):
            continue
        centre = item.subject.item.number if item.kind == "post" else 1 + CONTEXT
        item.context = [(p, n) for p, n in by_thread[item.subject.thread.id] if abs(p.number - centre) <= CONTEXT]


def _load_history(items) -> None:
    """Earlier flags on each author's items and moderation actions about them, in the same cohort: two queries."""
    authors = {(i.cohort_id, i.subject.author_id) for i in items.values() if i.subject and i.subject.author_id}
    if not authors:
        return
    cohorts, people = sorted({c for c, _ in authors}), sorted({a for _, a in authors})
    listed = {f.id for i in items.values() for f, _ in i.flags}
    found: dict[tuple[int, int], list[History]] = defaultdict(list)
    flagger = aliased(User)
    for flag, name in db.session.execute(
            select(Flag, flagger.display_name).outerjoin(flagger, flagger.id == Flag.flagger_id)
            .where(Flag.cohort_id.in_(cohorts), Flag.author_id.in_(people))
            .order_by(Flag.created_at.desc()).limit(HISTORY_MAX)):
        if flag.id not in listed:
            outcome = flag.outcome or "still open"
            found[(flag.cohort_id, flag.author_id)].append(History(
                flag.created_at, f"Flagged ({flag.reason_label}), {outcome}", name, flag.note))
    subjects = or_(
        and_(AuditEvent.subject_type == "users", AuditEvent.subject_id.in_(people)),
        and_(AuditEvent.subject_type == "posts",
             AuditEvent.subject_id.in_(select(Post.id).where(Post.author_id.in_(people)))),
        and_(AuditEvent.subject_type == "threads",
             AuditEvent.subject_id.in_(select(Thread.id).where(Thread.author_id.in_(people)))),
        and_(AuditEvent.subject_type == "exercise_responses",
             AuditEvent.subject_id.in_(select(ExerciseResponse.id).where(ExerciseResponse.author_id.in_(people)))),
        and_(AuditEvent.subject_type == "feedback",
             AuditEvent.subject_id.in_(select(Feedback.id).where(Feedback.reviewer_id.in_(people)))))
    author = func_author()
    actor = aliased(User)
    for event, whose, name in db.session.execute(
            select(AuditEvent, author, actor.display_name).outerjoin(actor, actor.id == AuditEvent.actor_id)
            .where(AuditEvent.cohort_id.in_(cohorts), AuditEvent.action.in_(tuple(MODERATION_ACTIONS)), subjects)
            .order_by(AuditEvent.at.desc()).limit(HISTORY_MAX)):
        if whose is not None:
            found[(event.cohort_id, whose)].append(History(event.at, ACTION_LABELS.get(event.action, event.action),
                                                           name or "The portal", event.detail))
    for item in items.values():
        if item.subject is not None and item.subject.author_id:
            item.history = sorted(found[(item.cohort_id, item.subject.author_id)], key=lambda h: h.at, reverse=True)


MODERATION_ACTIONS = ("flag.dismissed", "alert.handled", "item.hidden", "item.hidden_by_flags", "item.restored", "item.edited",
                      "thread.locked", "thread.unlocked", "thread.moved", "member.muted", "member.unmuted",
                      "member.suspended", "member.suspension_lifted")


def func_author():
    """SQL: whose item or account an audit event is about (the author), read in the same query."""
    from sqlalchemy import case

    return case(
        (AuditEvent.subject_type == "users", AuditEvent.subject_id),
        (AuditEvent.subject_type == "posts",
         select(Post.author_id).where(Post.id == AuditEvent.subject_id).scalar_subquery()),
        (AuditEvent.subject_type == "threads",
         select(Thread.author_id).where(Thread.id == AuditEvent.subject_id).scalar_subquery()),
        (AuditEvent.subject_type == "exercise_responses",
         select(ExerciseResponse.author_id).where(ExerciseResponse.id == AuditEvent.subject_id).scalar_subquery()),
        (AuditEvent.subject_type == "feedback",
         select(Feedback.reviewer_id).where(Feedback.id == AuditEvent.subject_id).scalar_subquery()),
        else_=None)
