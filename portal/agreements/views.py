"""Reading and accepting the group agreement; facilitators write ground rules and see who has agreed."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from portal.agreements import services
from portal.agreements.forms import AcceptForm, GroundRulesForm
from portal.errors import RuleViolation
from portal.extensions import db
from portal.numbers import parse_id
from portal.permissions import FACILITATOR, MEMBER, access

bp = Blueprint("agreements", __name__, url_prefix="/cohorts/<int:cohort_id>")
INVALID = 422


def _next_url() -> str:
    target = request.args.get("next", "")
    prefix = f"/cohorts/{g.cohort.id}/"
    return target if target.startswith(prefix) and "//" not in target else url_for("cohorts.show")


@bp.route("/agreement", methods=["GET", "POST"])
@access(MEMBER, before_agreement=True, when_read_only=True)
def show():
    """The current agreement; members who have not accepted it yet can do so here."""
    version = services.current_version(g.cohort.id)
    if version is None:
        abort(404)
    form = AcceptForm(version_id=version.id)
    needs_accepting = g.membership is not None and not g.agreement_accepted
    if needs_accepting and form.validate_on_submit():
        try:
            services.accept_agreement(current_user, g.cohort, parse_id(form.version_id.data) or 0)
        except RuleViolation:
            flash("The agreement changed while you were reading it. Please read this version.", "warning")
            return redirect(url_for("agreements.show", next=request.args.get("next")))
        flash("Thank you for agreeing. Welcome to the cohort.", "success")
        return redirect(_next_url())
    status = INVALID if form.errors else 200
    return render_template("agreements/show.html", version=version, form=form,
                           needs_accepting=needs_accepting), status


@bp.route("/manage/agreement", methods=["GET", "POST"])
@access(FACILITATOR)
def manage():
    """Ground rules, and who has and has not accepted the current version."""
    version = services.current_version(g.cohort.id)
    if version is None:
        abort(404)
    form = GroundRulesForm(ground_rules=version.ground_rules_source)
    if form.validate_on_submit():
        new = services.update_ground_rules(current_user, g.cohort, form.ground_rules.data or "")
        flash("Ground rules saved. Everyone will be asked to accept the new version." if new
              else "No changes to save.", "success")
        return redirect(url_for("agreements.manage"))
    rows = db.session.execute(services.select_acceptance_status(g.cohort.id, version.id)).all()
    return render_template("agreements/manage.html", version=version, form=form, rows=rows), \
        INVALID if form.errors else 200
