"""The items a concern can point at (posts, threads, exercise responses, feedback), found through the cohort."""
from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from sqlalchemy import select

from portal.extensions import db
from portal.moderation.models import SUBJECT_KINDS

LABELS = {"post": "Post", "thread": "Thread", "response": "Exercise response", "feedback": "Feedback"}


@dataclass(frozen=True)
class Item:
    kind: str
    id: int
    author_id: int | None  # whose words these are
    link: tuple[str, dict]  # endpoint and values, for url_for

    @property
    def label(self) -> str:
        return f"{LABELS[self.kind]} {self.id}"

    @property
    def url(self) -> str:
        endpoint, values = self.link
        return url_for(endpoint, **values)


def _models():
    from portal.discussions.models import Post, Thread
    from portal.exercises.feedback_models import Feedback
    from portal.exercises.response_models import ExerciseResponse

    return {"post": (Post, Post.author_id), "thread": (Thread, Thread.author_id),
            "response": (ExerciseResponse, ExerciseResponse.author_id), "feedback": (Feedback, Feedback.reviewer_id)}


def _link(kind: str, item_id: int, extra) -> tuple[str, dict]:
    if kind == "post":
        return "discussions.permalink", {"post_id": item_id}
    if kind == "thread":
        return "discussions.thread", {"thread_id": item_id}
    if kind == "response":
        return "exercises.response", {"response_id": item_id}
    return "exercises.response", {"response_id": extra}  # feedback shows with the response it is about


def find_item(cohort_id: int, kind: str | None, item_id: int | None) -> Item | None:
    """The item if it exists *in this cohort*; None for anything else (unknown kind, forged or foreign id)."""
    if kind not in SUBJECT_KINDS or not isinstance(item_id, int) or item_id <= 0:
        return None
    model, author = _models()[kind]
    extra = model.response_id if kind == "feedback" else model.id
    row = db.session.execute(select(model.id, author, extra).where(
        model.id == item_id, model.cohort_id == cohort_id)).first()
    return Item(kind, row[0], row[1], _link(kind, row[0], row[2])) if row else None


def find_items(cohort_id: int, pairs: list[tuple[str, int]]) -> list[Item]:
    """Several items (a concern's page): a query per kind present, at most four."""
    found: list[Item] = []
    models = _models()
    for kind in SUBJECT_KINDS:
        ids = [i for k, i in pairs if k == kind]
        if not ids:
            continue
        model, author = models[kind]
        extra = model.response_id if kind == "feedback" else model.id
        rows = db.session.execute(select(model.id, author, extra).where(
            model.id.in_(ids), model.cohort_id == cohort_id)).all()
        found += [Item(kind, r[0], r[1], _link(kind, r[0], r[2])) for r in rows]
    order = {pair: n for n, pair in enumerate(pairs)}
    return sorted(found, key=lambda item: order.get((item.kind, item.id), 0))
