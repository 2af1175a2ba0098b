"""Course evaluation pages: a member's list, the answer page, results, the CSV, the site admins' comparison."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select

from portal.errors import DomainError
from portal.evaluation import results, services
from portal.evaluation.forms import AnswerForm, field_name, read_answers
from portal.evaluation.models import EvaluationForm
from portal.extensions import db
from portal.numbers import parse_id
from portal.permissions import FACILITATOR, MEMBER, SITE_ADMIN, access
from portal.spreadsheet import csv_response

bp = Blueprint("evaluation", __name__, url_prefix="/cohorts/<int:cohort_id>/evaluation")
admin_bp = Blueprint("evaluation_admin", __name__, url_prefix="/admin/evaluation")
INVALID = 422


def _user_id() -> int | None:
    return g.membership.user_id if g.membership is not None else None


@bp.get("/")
@access(MEMBER, site_admin_manages=True)  # results are anonymous totals, for site admins too (issue 17)
def index():
    """Evaluations of the sessions that have opened: to answer (learners) or to read (facilitators)."""
    asked = services.list_evaluations(g.cohort, _user_id())
    facilitating = g.membership is None or g.membership.is_facilitator
    counts = results.respondents_by_slice(g.cohort.id) if facilitating else {}
    return render_template("evaluation/index.html", asked=asked, counts=counts, least=results.least(),
                           can_answer=services.can_answer(g.membership), facilitating=facilitating)


@bp.route("/sessions/<int:number>/forms/<int:form_id>", methods=["GET", "POST"])
@access(MEMBER)
def answer(number: int, form_id: int):
    """A form to answer once, after being told plainly what is promised about anonymity."""
    if g.membership is None or g.membership.role != "learner":
        abort(404)  # facilitators and site admins read the results; they don't answer
    page = services.load_form(g.cohort, form_id, number, _user_id())
    form = AnswerForm()
    typed: dict[str, str] = {}
    problems: dict[str, str] = {}
    status = 200
    if form.validate_on_submit():
        values, problems, typed = read_answers(page.questions, request.form)
        if not problems:
            try:
                services.submit_evaluation(g.membership, g.cohort, page, values)
            except DomainError as e:
                form.form_errors.append(e.message)
                status = e.status
            else:
                flash("Thank you. Your answers are in, with nothing to say they are yours.", "success")
                return redirect(url_for("evaluation.index"))
        else:
            status = INVALID
    elif request.method == "POST":
        status = 400
    return render_template("evaluation/answer.html", page=page, form=form, typed=typed, problems=problems,
                           field_name=field_name, least=results.least(),
                           text_limit=services.TEXT_LIMIT), status


@bp.get("/sessions/<int:number>/forms/<int:form_id>/results")
@access(FACILITATOR, site_admin_manages=True)
def show_results(number: int, form_id: int):
    """Totals per question as a chart and a table, free text shuffled; nothing below the threshold."""
    page = services.load_form(g.cohort, form_id, number, None)
    result = results.load_slice(g.cohort.id, page.form, number)
    return render_template("evaluation/results.html", page=page, result=result, least=results.least())


@bp.get("/results.csv")
@access(FACILITATOR, site_admin_manages=True)
def download():
    """Every session's results as a spreadsheet, with the same threshold as the pages."""
    return csv_response(f"evaluation-{g.cohort.id}.csv", ["Session", "Form", "Question", "Answer", "Count"],
                        results.export_rows(g.cohort.id))


@admin_bp.get("/")
@access(SITE_ADMIN)
def compare():
    """One form for one session across cohorts: each cohort held to the threshold, free text left out."""
    forms = list(db.session.scalars(select(EvaluationForm).order_by(EvaluationForm.id)))
    chosen = next((f for f in forms if f.id == parse_id(request.args.get("form", ""))), forms[0] if forms else None)
    number = parse_id(request.args.get("session", ""))
    if chosen is not None and number not in chosen.sessions:
        number = chosen.sessions[0] if chosen.sessions else None
    comparison = results.compare_cohorts(chosen, number) if chosen is not None and number else None
    return render_template("evaluation/compare.html", forms=forms, chosen=chosen, number=number,
                           comparison=comparison, least=results.least())
