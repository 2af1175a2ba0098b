"""Reading and accepting the group agreement; facilitators write ground rules and see who has agreed."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from portal.agreements import services
from portal.agreements.forms import AcceptForm, GroundRulesForm
from portal.errors import RuleViolation
from portal.extensions import db
from portal.keep.rescue import keeps, take_kept
from portal.numbers import parse_id
from portal.permissions import FACILITATOR, MEMBER, access

bp = Blueprint("agreements", __name__, url_prefix="/cohorts/<int:cohort_id>")
INVALID = 422


def _next_url() -> str:
    target = request.args.get("next", "")
    prefix = f"/cohorts/{g.cohort.id}/"
    return target if target.startswith(prefix) and "//" not in target else url_for("cohorts.show")


@bp.route("/agreement", methods=["GET", "POST"])
@access(MEMBER, before_agreement=True, when_read_only=True, site_admin_manages=True)
def show():
    """The current agreement; members who have not accepted it yet can do so here."""
    version = services.current_version(g.cohort.id)
    if version is None:
        abort(404)
    form = AcceptForm(version_id=version.id)
    needs_accepting = g.membership is not None and not g.agreement_accepted
    if needs_accepting and form.validate_on_submit():
        try:
            first_time = services.accept_agreement(current_user, g.cohort, parse_id(form.version_id.data) or 0)
        except RuleViolation:
            flash("The agreement changed while you were reading it. Please read this version.", "warning")
            return redirect(url_for("agreements.show", next=request.args.get("next")))
        flash("Thank you for agreeing. Welcome to the cohort." if first_time
              else "Thank you for reading the changes and agreeing to them.", "success")
        return redirect(_next_url())
    previous = services.last_accepted_version(current_user.id, g.cohort.id) if g.membership else None
    changes = services.changes_between(previous, version) if previous and previous.id != version.id else None
    status = INVALID if form.errors else 200
    return render_template("agreements/show.html", version=version, form=form, previous=previous,
                           changes=changes, needs_accepting=needs_accepting), status


@bp.route("/manage/agreement", methods=["GET", "POST"])
@access(FACILITATOR, site_admin_manages=True)
@keeps({"ground_rules": "Ground rules"})
def manage():
    """Ground rules (previewed, with what changed, before saving), and who has accepted the agreement in force."""
    version = services.current_version(g.cohort.id)
    if version is None:
        abort(404)
    form = GroundRulesForm(ground_rules=version.ground_rules_source)
    if request.method == "GET":
        take_kept(form)  # words sent after their session ended, back as typed (no query unless there are some)
    text = form.ground_rules.data or ""
    changed = text.strip() != version.ground_rules_source.strip()
    if form.validate_on_submit():
        if not changed:
            flash("No changes to save: the ground rules are the same as before.", "info")
            return redirect(url_for("agreements.manage"))
        if form.save.data and form.previewed.data == services.text_digest(text):
            try:
                new = services.update_ground_rules(current_user, g.cohort, text,
                                                   correction=form.change.data == "correction")
            except RuleViolation as e:
                form.change.errors.append(e.message)
            else:
                flash(_saved_message(new), "success")
                return redirect(url_for("agreements.manage"))
        elif form.save.data:
            flash("The text changed after the preview. Check the new preview below, then save.", "info")
    preview = None
    if form.is_submitted() and changed and not form.ground_rules.errors:  # nothing is saved unseen
        form.previewed.data = services.text_digest(text)
        preview = _preview(version, text)
    rows = db.session.execute(services.select_acceptance_status(g.cohort.id)).all()
    return render_template("agreements/manage.html", version=version, form=form, rows=rows, preview=preview), \
        INVALID if form.errors else 200


def _preview(version, text: str) -> dict:
    from portal.agreements.diff import diff_text
    from portal.markdown import render_markdown

    return {"html": render_markdown(text) if text.strip() else "",
            "changes": diff_text(version.ground_rules_source, text)}


def _saved_message(version) -> str:
    if version is None:
        return "No changes to save."
    if version.is_correction:
        return "Correction saved. Members don't need to accept the ground rules again."
    return ("Ground rules saved. Everyone else in the cohort will be shown what changed and asked to accept "
            "them again; you don't need to, as you made the change.")
