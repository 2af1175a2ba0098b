"""Site administrators' pages for accounts: find a person, deactivate or reactivate, reset their second factor."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.audit.forms import ConfirmWithReasonForm
from portal.auth import admin_services
from portal.auth.models import User
from portal.errors import RuleViolation
from portal.extensions import db
from portal.numbers import query_int
from portal.permissions import SITE_ADMIN, access

bp = Blueprint("people", __name__, url_prefix="/admin/people")
INVALID = 422
MAX_PAGE = 10_000


def _page() -> int:
    return query_int("page", 1, maximum=MAX_PAGE)


@bp.get("")
@access(SITE_ADMIN)
def index():
    """Everyone with an account, or those whose name or email matches the search."""
    query, page = request.args.get("q", "")[:254], _page()
    people, has_more = admin_services.find_people(query, page)
    return render_template("admin/people.html", people=people, query=query, page=page, has_more=has_more)


@bp.get("/<int:id>")
@access(SITE_ADMIN)
def person(id: int):
    """One account: its state, its cohorts, and what can be repaired."""
    from portal.cohorts.models import Cohort, Membership

    user = db.session.get(User, id) or abort(404)
    places = db.session.execute(select(Membership, Cohort).join(Cohort, Cohort.id == Membership.cohort_id)
                                .where(Membership.user_id == user.id)
                                .order_by(Cohort.start_date.desc(), Cohort.id.desc())).all()
    return render_template("admin/person.html", person=user, places=places)


# action -> (service, heading, explanation, button, done message)
_ACTIONS = {
    "deactivate": (admin_services.deactivate_account, "Deactivate {name}'s account?", [
        "{name} ({email}) will be signed out everywhere straight away and won't be able to sign in.",
        "Nothing is deleted: their cohorts, posts and everything else stay as they are, and you can "
        "reactivate the account later."], "Deactivate the account",
        "{name}'s account is deactivated and they have been signed out."),
    "reactivate": (admin_services.reactivate_account, "Reactivate {name}'s account?", [
        "{name} ({email}) will be able to sign in again with their password, and see the cohorts they "
        "still belong to."], "Reactivate the account", "{name}'s account is active again."),
    "reset-two-factor": (admin_services.reset_two_factor, "Reset {name}'s two-factor sign-in?", [
        "Do this only when {name} has lost their authenticator and their recovery codes, and you are sure "
        "it is really them asking (for example, they told you in person or by phone).",
        "Their authenticator and recovery codes stop working and they are signed out everywhere. We email "
        "{email} to say so. When they next sign in with their password, facilitators and administrators "
        "are asked to set up a new authenticator before anything else."], "Reset two-factor sign-in",
        "{name}'s two-factor sign-in has been reset and they have been emailed."),
}


@bp.route("/<int:id>/deactivate", methods=["GET", "POST"])
@access(SITE_ADMIN)
def deactivate(id: int):
    """Confirm, then stop someone signing in and end their sessions (recorded in the audit log)."""
    return _repair(id, "deactivate")


@bp.route("/<int:id>/reactivate", methods=["GET", "POST"])
@access(SITE_ADMIN)
def reactivate(id: int):
    """Confirm, then let someone sign in again (recorded in the audit log)."""
    return _repair(id, "reactivate")


@bp.route("/<int:id>/reset-two-factor", methods=["GET", "POST"])
@access(SITE_ADMIN)
def reset_two_factor(id: int):
    """Confirm, then remove a lost authenticator and recovery codes (recorded in the audit log)."""
    return _repair(id, "reset-two-factor")


def _repair(id: int, action: str):
    user = db.session.get(User, id) or abort(404)
    service, heading, explanation, button, done = _ACTIONS[action]
    names = {"name": user.display_name, "email": user.email}
    form = ConfirmWithReasonForm()
    if form.validate_on_submit():
        try:
            service(current_user, user, form.reason.data)
        except RuleViolation as e:
            flash(e.message, "warning")
        else:
            flash(done.format(**names), "success")
        return redirect(url_for("people.person", id=user.id))
    back = url_for("people.person", id=user.id)
    lines = [line.format(**names) for line in explanation]
    alone = admin_services.running_cohorts_they_alone_facilitate(user) if action == "deactivate" else []
    if alone:
        lines.append(f"Please note: {user.display_name} is the only facilitator of {', '.join(alone)}, which "
                     "is running. Add another facilitator there, so the group is not left without one.")
    return render_template(
        "admin/confirm.html", form=form, heading=heading.format(**names), explanation=lines, button=button,
        warning=True, refusal=_refusal(action, user), back_url=back,
        crumbs=[("People", url_for("people.index")), (user.display_name, back)]), INVALID if form.errors else 200


def _refusal(action: str, user: User) -> str | None:
    """Said on the confirmation page instead of a button, when the action can't be done."""
    if action in ("deactivate", "reset-two-factor") and user.id == current_user.id:
        return "You can't do this to your own account. Ask another site administrator."
    if action == "deactivate" and not user.active:
        return f"{user.display_name}'s account is already deactivated."
    if action == "reactivate" and user.active:
        return f"{user.display_name}'s account is already active."
    if action == "reset-two-factor" and not user.has_two_factor:
        return f"{user.display_name} has not set up two-factor sign-in, so there is nothing to reset."
    return None
