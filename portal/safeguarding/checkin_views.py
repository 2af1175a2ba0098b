"""Check-in pages: facilitators write to one learner of their cohort; the learner reads and replies on
"Messages from your facilitators". No page lets a learner address anyone else (see checkins.py)."""
from __future__ import annotations

import secrets

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from portal.errors import DomainError
from portal.keep.rescue import keeps, take_kept
from portal.extensions import limiter, user_key
from portal.permissions import FACILITATOR, MEMBER, access
from portal.safeguarding import checkins
from portal.safeguarding.forms import MessageForm

bp = Blueprint("checkins", __name__, url_prefix="/cohorts/<int:cohort_id>")
KEPT = {"body": "Your message"}


def _limit() -> str:
    from flask import current_app
    return current_app.config["RATELIMIT_POST"]


def _fresh_form() -> MessageForm:
    form = MessageForm(formdata=None, client_token=secrets.token_urlsafe(16))
    take_kept(form)
    return form


@bp.get("/check-ins")
@access(FACILITATOR)
def index():
    """The cohort's learners and their check-in conversations, unread replies first."""
    return render_template("safeguarding/checkins.html", rows=checkins.overview(g.cohort.id))


@bp.route("/check-ins/<int:member_id>", methods=["GET", "POST"])
@access(FACILITATOR)
@keeps(KEPT, ("client_token",))
@limiter.limit(_limit, methods=["POST"], key_func=user_key)
def conversation(member_id: int):
    """One learner's conversation with the cohort's facilitators, and a check-in to send."""
    place = checkins.learner_place(g.cohort.id, member_id)
    if place is None:
        abort(404)  # only learners of this cohort: never a facilitator, never anyone elsewhere
    found = checkins.conversation_of(g.cohort.id, member_id)
    if request.method == "GET":
        checkins.mark_read(found, by_member=False)
        return _render(place, found, _fresh_form())
    form = MessageForm()
    if form.validate_on_submit():
        try:
            checkins.send_checkin(current_user, g.cohort, member_id, form.body.data, form.client_token.data)
        except DomainError as e:
            form.body.errors = [*form.body.errors, e.message]
            return _render(place, found, form, e.status)
        flash("Your check-in is sent. They have been emailed a link to read it (the email holds none of your words).",
              "success")
        return redirect(url_for("checkins.conversation", member_id=member_id))
    return _render(place, found, form, 422)


def _render(place, found, form, status: int = 200):
    from portal.auth.models import User
    from portal.extensions import db

    member = db.session.get(User, place.user_id)
    return render_template("safeguarding/conversation.html", place=place, member=member,
                           messages=checkins.messages(found), form=form), status


@bp.route("/messages", methods=["GET", "POST"])
@access(MEMBER, when_read_only=True)  # a paused member can still read and reply: it is a care channel
@keeps(KEPT, ("client_token",))
@limiter.limit(_limit, methods=["POST"], key_func=user_key)
def mine():
    """Messages from your facilitators: a learner's own conversation with them, and a reply box."""
    if g.membership is None:
        abort(404)  # a site admin outside the cohort has no conversation here
    if g.membership.role != "learner":
        return redirect(url_for("checkins.index"))
    found = checkins.conversation_of(g.cohort.id, current_user.id)
    if request.method == "GET":
        checkins.mark_read(found, by_member=True)
        return _render_mine(found, _fresh_form())
    form = MessageForm()
    if form.validate_on_submit():
        try:
            checkins.reply_checkin(current_user, g.cohort, form.body.data, form.client_token.data)
        except DomainError as e:
            form.body.errors = [*form.body.errors, e.message]
            return _render_mine(found, form, e.status)
        flash("Sent to your facilitators. They will reply when they can.", "success")
        return redirect(url_for("checkins.mine"))
    return _render_mine(found, form, 422)


def _render_mine(found, form, status: int = 200):
    return render_template("safeguarding/mine.html", messages=checkins.messages(found), form=form), status
