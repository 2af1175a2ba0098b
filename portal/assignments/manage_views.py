"""Facilitators' assignment pages: the cohort's work, due dates, extensions, marking and moderation."""
from __future__ import annotations

from datetime import timezone

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal.assignments import marking, queries, services
from portal.assignments.forms import DueForm, ExtensionForm, MarkForm, ModerateForm
from portal.dates import from_local
from portal.errors import DomainError, InvalidInput
from portal.permissions import FACILITATOR, access

bp = Blueprint("assignment_marking", __name__, url_prefix="/cohorts/<int:cohort_id>/manage/assignments")


def _utc(local):
    return from_local(local.date(), local.time()).astimezone(timezone.utc)


@bp.get("/<slug>")
@access(FACILITATOR)
def overview(slug: str):
    item = services.find_assignment(slug)
    due, rows = queries.cohort_rows(g.cohort.id, slug)
    return _overview(item, due, rows, DueForm(formdata=None), _extension_form(rows, formdata=None))


def _extension_form(rows, **kwargs) -> ExtensionForm:
    form = ExtensionForm(**kwargs)
    form.learner_id.choices = [SelectChoice(r.learner.id, r.learner.display_name) for r in rows]
    return form


def _overview(item, due, rows, due_form, extension_form, status=200):
    return render_template("assignments/overview.html", item=item, due=due, rows=rows, due_form=due_form,
                           extension_form=extension_form), status


@bp.post("/<slug>/due")
@access(FACILITATOR, site_admin_manages=True)
def set_due(slug: str):
    item = services.find_assignment(slug)
    form = DueForm()
    if form.validate():
        services.set_due(current_user, g.cohort, slug, _utc(form.due_at.data))
        flash("The due date is saved.", "success")
        return redirect(url_for("assignment_marking.overview", slug=slug))
    due, rows = queries.cohort_rows(g.cohort.id, slug)
    return _overview(item, due, rows, form, _extension_form(rows, formdata=None), 422)


@bp.post("/<slug>/extensions")
@access(FACILITATOR, site_admin_manages=True)
def extend(slug: str):
    item = services.find_assignment(slug)
    due, rows = queries.cohort_rows(g.cohort.id, slug)
    form = _extension_form(rows)
    if form.validate():
        services.grant_extension(current_user, g.cohort, slug, form.learner_id.data, _utc(form.due_at.data))
        flash("The extension is saved.", "success")
        return redirect(url_for("assignment_marking.overview", slug=slug))
    return _overview(item, due, rows, DueForm(formdata=None), form, 422)


@bp.route("/submissions/<int:submission_id>/mark", methods=["GET", "POST"])
@access(FACILITATOR)
def mark(submission_id: int):
    submission = services.submission_for(g.cohort.id, submission_id, current_user,
                                         services.is_cohort_facilitator())
    item = services.find_assignment(submission.assignment_slug)
    existing = marking.marking_of(submission.id)
    form = MarkForm(obj=existing if request.method == "GET" else None)
    form.outcome.choices = [SelectChoice(o, o) for o in item.outcomes]
    moderate_form = ModerateForm(formdata=None)
    moderate_form.outcome.choices = form.outcome.choices
    problem, status = None, 200
    if request.method == "POST" and form.validate():
        try:
            marking.mark(current_user, g.cohort, submission, form.feedback.data, form.outcome.data,
                         form.next_step.data == "moderate")
        except DomainError as e:
            problem, status = e.message, e.status
        else:
            flash("Saved. The learner has been told their feedback is ready." if form.next_step.data == "release"
                  else "Saved. A second facilitator can now moderate the outcome.", "success")
            return redirect(url_for("assignment_marking.overview", slug=item.slug))
    elif request.method == "POST":
        status = 422
    return render_template("assignments/mark.html", item=item, submission=submission, form=form,
                           existing=existing, moderate_form=moderate_form, problem=problem), status


@bp.post("/submissions/<int:submission_id>/moderate")
@access(FACILITATOR)
def moderate(submission_id: int):
    submission = services.submission_for(g.cohort.id, submission_id, current_user,
                                         services.is_cohort_facilitator())
    item = services.find_assignment(submission.assignment_slug)
    form = ModerateForm()
    form.outcome.choices = [SelectChoice(o, o) for o in item.outcomes]
    if not form.validate():
        raise InvalidInput("Please choose one of the outcomes offered.")
    marking.moderate(current_user, g.cohort, submission, form.outcome.data)
    flash("Moderated and released. The learner has been told their feedback is ready.", "success")
    return redirect(url_for("assignment_marking.overview", slug=item.slug))
