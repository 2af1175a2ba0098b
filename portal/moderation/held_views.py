"""Held content under the cohort: the author's choice, and the facilitators' review page, release and keep."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.auth.models import User
from portal.errors import DomainError
from portal.extensions import db
from portal.moderation import holding
from portal.moderation.held_models import HELD_CHOICES
from portal.permissions import FACILITATOR, MEMBER, access

bp = Blueprint("holding", __name__, url_prefix="/cohorts/<int:cohort_id>/held")
AROUND = 3  # posts shown before and after a held post on its review page


def _item_or_404(kind: str, item_id: int):
    if kind not in holding.KINDS:
        abort(404)
    try:
        return holding.load_held(g.cohort.id, kind, item_id)
    except DomainError:
        abort(404)


def back_to(kind: str, item) -> str:
    """Where the author reads the item: the post in its thread, the response or feedback page."""
    if kind == "post":
        return url_for("discussions.permalink", post_id=item.id)
    if kind == "response":
        return url_for("exercises.response", response_id=item.id)
    return url_for("exercises.give_feedback", response_id=item.response_id)


@bp.post("/<kind>/<int:item_id>/choice")
@access(MEMBER)
def choose(kind: str, item_id: int):
    """The author's choice while it is held: share once a facilitator has looked, or facilitators only."""
    item = _item_or_404(kind, item_id)
    if holding.author_of(item) != current_user.id:
        abort(404)
    choice = request.form.get("choice", "")
    try:
        holding.choose(current_user, g.cohort.id, kind, item_id, choice)
    except DomainError as e:
        if e.status == 404:
            abort(404)
        return render_template("moderation/held_choice_problem.html", message=e.message,
                               back=back_to(kind, item)), e.status
    flash("Thank you. Your facilitators will see your choice." if choice == "facilitators"
          else "Thank you. Once a facilitator has looked, it will be shared with your cohort.", "success")
    return redirect(back_to(kind, item))


@bp.get("/<kind>/<int:item_id>")
@access(FACILITATOR)
def review(kind: str, item_id: int):
    """One held item for the facilitators, with the thread around it (posts), and what they can do."""
    item = _item_or_404(kind, item_id)
    author = db.session.get(User, holding.author_of(item)) if holding.author_of(item) else None
    context = _around(item) if kind == "post" else None
    return render_template("moderation/held_review.html", kind=kind, item=item, author=author, context=context,
                           back=back_to(kind, item), choices=dict(zip(HELD_CHOICES, (
                               "Share it with the cohort once a facilitator has looked",
                               "Keep it for the facilitators only"))))


def _around(post):
    """The thread and the posts just before and after the held one (the facilitators see them all)."""
    from portal.discussions.models import Post, Thread
    thread = db.session.get(Thread, post.thread_id)
    rows = db.session.execute(
        select(Post, User.display_name).outerjoin(User, User.id == Post.author_id)
        .where(Post.thread_id == post.thread_id, Post.number.between(post.number - AROUND, post.number + AROUND))
        .order_by(Post.number)).all()
    return thread, rows


@bp.post("/<kind>/<int:item_id>/release")
@access(FACILITATOR)
def release(kind: str, item_id: int):
    """Share a held item with the cohort (refused when its author chose facilitators only)."""
    _item_or_404(kind, item_id)
    return _act(kind, item_id, holding.release_held, "Released: the cohort can see it now.")


@bp.post("/<kind>/<int:item_id>/keep")
@access(FACILITATOR)
def keep(kind: str, item_id: int):
    """Keep a held item for the facilitators; someone reaches out to its author."""
    _item_or_404(kind, item_id)
    return _act(kind, item_id, holding.keep_held,
                "Kept for the facilitators. Please reach out to its author when you can.")


def _act(kind: str, item_id: int, action, done: str):
    try:
        changed = action(current_user, g.cohort.id, kind, item_id)
    except DomainError as e:
        if e.status == 404:
            abort(404)
        flash(e.message, "warning")
    else:
        flash(done if changed else holding.ALREADY, "success" if changed else "info")
    return redirect(url_for("holding.review", kind=kind, item_id=item_id))
