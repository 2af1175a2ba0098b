"""The safeguarding record's pages, for a cohort's facilitators and site admins only (everyone else: 404)."""
from __future__ import annotations

import secrets

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from portal.auth.models import User
from portal.cohorts.models import Membership
from portal.dates import local_today
from portal.errors import DomainError
from portal.extensions import db
from portal.keep.rescue import keeps, take_kept
from portal.numbers import parse_id
from portal.permissions import FACILITATOR, access
from portal.safeguarding import concerns
from portal.safeguarding.forms import ActionForm, CloseForm, ConcernForm, LinkItemForm, ReopenForm
from portal.safeguarding.items import find_item
from portal.safeguarding.models import Concern

bp = Blueprint("safeguarding", __name__, url_prefix="/cohorts/<int:cohort_id>/safeguarding")
INVALID = 422


def _learners() -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(User.id, User.display_name, Membership.status).join(Membership, Membership.user_id == User.id)
        .where(Membership.cohort_id == g.cohort.id, Membership.role == "learner")
        .order_by(User.display_name, User.id)).all()
    notes = {"suspended": " (paused)", "removed": " (removed)", "left": " (left)"}
    return [SelectChoice(uid, name + notes.get(status, "")) for uid, name, status in rows]


def _concern_or_404(concern_id: int) -> Concern:
    concern = db.session.scalars(select(Concern).where(Concern.id == concern_id,
                                                       Concern.cohort_id == g.cohort.id)).first()
    if concern is None:
        abort(404)
    return concern


@bp.get("")
@access(FACILITATOR)
def concerns_list():
    """The cohort's concerns, open first, and the follow-ups that have come due."""
    return render_template("safeguarding/list.html", rows=concerns.concerns_in(g.cohort.id),
                           due=concerns.followups_due([g.cohort.id], local_today()))


@bp.route("/new", methods=["GET", "POST"])
@access(FACILITATOR)
@keeps({"summary": "What worries you", "details": "What happened"}, ("client_token", "kind", "item_id", "member"))
def new_concern():
    """Open a concern; from an item (`?kind=post&id=3`) it is linked to it and about its author; `?member=`
    chooses the learner (from their check-in page)."""
    form = ConcernForm()
    form.member.choices = [SelectChoice(0, "Choose a member"), *_learners()]
    if request.method == "GET":
        kind, item_id = request.args.get("kind"), request.args.get("id")
        if kind or item_id:
            item = find_item(g.cohort.id, kind, parse_id(item_id))
            if item is None:
                abort(404)
            form.kind.data, form.item_id.data = item.kind, str(item.id)
            form.member.data = item.author_id
        elif (member := parse_id(request.args.get("member"))) is not None:
            form.member.data = member  # from a check-in: about that learner (a choice, checked when saved)
        form.client_token.data = secrets.token_urlsafe(16)
        take_kept(form)
        return render_template("safeguarding/new.html", form=form, item=_form_item(form))
    if form.validate_on_submit():
        item = (form.kind.data, parse_id(form.item_id.data)) if form.kind.data or form.item_id.data else None
        try:
            concern = concerns.open_concern(current_user, g.cohort, form.member.data or None, form.summary.data,
                                            form.details.data, form.follow_up_on.data, item,
                                            form.client_token.data)
        except DomainError as e:
            form.summary.errors = [*form.summary.errors, e.message]
            return render_template("safeguarding/new.html", form=form, item=_form_item(form)), e.status
        flash("The concern is recorded. Only this cohort's facilitators and site administrators can see it.",
              "success")
        return redirect(url_for("safeguarding.concern", concern_id=concern.id))
    return render_template("safeguarding/new.html", form=form, item=_form_item(form)), INVALID


def _form_item(form):
    return find_item(g.cohort.id, form.kind.data, parse_id(form.item_id.data)) if form.kind.data else None


def _render_concern(concern_id: int, action_form=None, link_form=None, reopen_form=None, status: int = 200):
    page = concerns.concern_page(g.cohort.id, concern_id)
    if page is None:
        abort(404)
    if action_form is None:
        action_form = ActionForm(formdata=None, done_on=local_today(), follow_up_on=page.concern.follow_up_on,
                                 client_token=secrets.token_urlsafe(16))
        take_kept(action_form)
    return render_template("safeguarding/concern.html", page=page, form=action_form,
                           link_form=link_form or LinkItemForm(formdata=None),
                           reopen_form=reopen_form or ReopenForm(formdata=None),
                           today=local_today()), status


@bp.get("/<int:concern_id>")
@access(FACILITATOR)
def concern(concern_id: int):
    """One concern: who, what raised it, what was done, the next follow-up."""
    return _render_concern(concern_id)


@bp.post("/<int:concern_id>/actions")
@access(FACILITATOR)
@keeps({"note": "What was done"}, ("client_token", "done_on", "follow_up_on"))
def add_action(concern_id: int):
    """Record what was done and the next follow-up."""
    item = _concern_or_404(concern_id)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            concerns.add_action(current_user, item, form.done_on.data, form.note.data, form.follow_up_on.data,
                                form.client_token.data)
        except DomainError as e:
            form.note.errors = [*form.note.errors, e.message]
            return _render_concern(concern_id, form, status=e.status)
        flash("Recorded.", "success")
        return redirect(url_for("safeguarding.concern", concern_id=concern_id))
    return _render_concern(concern_id, form, status=INVALID)


@bp.post("/<int:concern_id>/items")
@access(FACILITATOR)
def link_item(concern_id: int):
    """Link another item of the cohort to the concern."""
    item = _concern_or_404(concern_id)
    form = LinkItemForm()
    if form.validate_on_submit():
        try:
            concerns.link_item(current_user, item, form.kind.data, parse_id(form.item_id.data))
        except DomainError as e:
            form.item_id.errors = [*form.item_id.errors, e.message]
            return _render_concern(concern_id, link_form=form, status=e.status)
        flash("Linked.", "success")
        return redirect(url_for("safeguarding.concern", concern_id=concern_id))
    return _render_concern(concern_id, link_form=form, status=INVALID)


@bp.route("/<int:concern_id>/close", methods=["GET", "POST"])
@access(FACILITATOR)
@keeps({"outcome": "Outcome"})
def close_concern(concern_id: int):
    """Close the concern with its outcome (asks first)."""
    item = _concern_or_404(concern_id)
    form = CloseForm()
    if request.method == "GET":
        take_kept(form)
        return render_template("safeguarding/close.html", concern=item, form=form)
    if form.validate_on_submit():
        try:
            closed = concerns.close_concern(current_user, item, form.outcome.data)
        except DomainError as e:
            form.outcome.errors = [*form.outcome.errors, e.message]
            return render_template("safeguarding/close.html", concern=item, form=form), e.status
        flash("The concern is closed." if closed else "This concern was already closed.", "success")
        return redirect(url_for("safeguarding.concern", concern_id=concern_id))
    return render_template("safeguarding/close.html", concern=item, form=form), INVALID


@bp.post("/<int:concern_id>/reopen")
@access(FACILITATOR)
def reopen_concern(concern_id: int):
    """Reopen a closed concern."""
    item = _concern_or_404(concern_id)
    form = ReopenForm()
    if not form.validate_on_submit():
        return _render_concern(concern_id, reopen_form=form, status=INVALID)
    reopened = concerns.reopen_concern(current_user, item, form.reason.data)
    flash("The concern is open again." if reopened else "This concern was already open.", "success")
    return redirect(url_for("safeguarding.concern", concern_id=concern_id))
