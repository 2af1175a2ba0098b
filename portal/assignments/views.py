"""Assignment pages inside a cohort: the list, one assignment with its hand-in form, a receipt, the file."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from portal import storage
from portal.assignments import files, services
from portal.assignments.content import all_assignments
from portal.assignments.forms import SubmitForm
from portal.assignments.marking import marking_of
from portal.discussions.services import get_draft
from portal.errors import DomainError
from portal.keep.rescue import keeps, take_kept
from portal.permissions import MEMBER, access, is_facilitator_here

bp = Blueprint("assignments", __name__, url_prefix="/cohorts/<int:cohort_id>")
UPLOAD_LIMIT = files.MAX_BYTES + 512 * 1024  # the file plus the form around it
TOO_LARGE = ("That file is larger than 10 MB, so it wasn't sent. Please make it smaller (for example, save it "
             "as PDF without large pictures) and try again. Nothing has been handed in yet.")


@bp.get("/assignments")
@access(MEMBER)
def index():
    items = all_assignments()
    mine = {a.slug: services.versions(g.cohort.id, a.slug, current_user.id) for a in items} \
        if not is_facilitator_here() else {}
    return render_template("assignments/index.html", items=items, mine=mine,
                           dues={a.slug: services.due_at(g.cohort.id, a.slug, current_user.id) for a in items},
                           opened={a.slug: services.is_open(g.cohort.id, a) for a in items})


@bp.route("/assignments/<slug>", methods=["GET", "POST"])
@access(MEMBER)
@keeps({"text": "Your work"})
def show(slug: str):
    item = services.find_assignment(slug)
    facilitator = is_facilitator_here()
    if facilitator and request.method == "POST":
        return redirect(url_for("assignments.show", slug=slug))
    try:
        form = SubmitForm()
    except RequestEntityTooLarge:
        return _page(item, SubmitForm(formdata=None), problem=TOO_LARGE, status=413)
    problem, status = None, 200
    if request.method == "GET" and not facilitator:
        _fill(form, slug)
    if request.method == "POST" and form.validate():
        if "preview" in request.form:
            return _page(item, form, preview=True)
        try:
            submission = services.submit(current_user, g.cohort, slug, form.text.data, form.upload.data)
        except DomainError as e:
            problem, status = e.message, e.status
        else:
            flash("Thank you: your work has been handed in. Here is your receipt; we have emailed it to you too.",
                  "success")
            return redirect(url_for("assignments.receipt", submission_id=submission.id))
    elif request.method == "POST":
        status = 422
    return _page(item, form, problem=problem, status=status)


def _fill(form: SubmitForm, slug: str) -> None:
    """The form as it was left: the last text handed in, then a newer autosaved draft, then kept words."""
    form.version.data = services.version_token(g.cohort.id, slug, current_user.id)
    own = services.versions(g.cohort.id, slug, current_user.id)
    if own and own[0].text:
        form.text.data = own[0].text
    draft = get_draft(current_user.id, g.cohort.id, services.draft_key(slug))
    if draft is not None and draft.token == form.version.data and draft.body:
        form.text.data = draft.body
    take_kept(form)  # words typed when a session ended come back here


def _page(item, form, *, problem=None, status=200, preview=False):
    facilitator = is_facilitator_here()
    own = [] if facilitator else services.versions(g.cohort.id, item.slug, current_user.id)
    html = render_template("assignments/show.html", item=item, draft_key=services.draft_key(item.slug), form=form, problem=problem, preview=preview,
                           words=services.count_words(form.text.data or ""), own=own, facilitator=facilitator,
                           opened=services.is_open(g.cohort.id, item),
                           due=services.due_at(g.cohort.id, item.slug, None if facilitator else current_user.id),
                           markings={s.id: marking_of(s.id) for s in own})
    return html, status


@bp.get("/submissions/<int:submission_id>")
@access(MEMBER)
def receipt(submission_id: int):
    submission = services.submission_for(g.cohort.id, submission_id, current_user,
                                         services.is_cohort_facilitator())
    item = services.find_assignment(submission.assignment_slug)
    marking = marking_of(submission.id)
    if marking is not None and marking.state != "released" and not is_facilitator_here():
        marking = None
    return render_template("assignments/receipt.html", item=item, submission=submission, marking=marking)


@bp.get("/submissions/<int:submission_id>/file")
@access(MEMBER)
def download(submission_id: int):
    submission = services.submission_for(g.cohort.id, submission_id, current_user,
                                         services.is_cohort_facilitator())
    if not submission.file_key:
        raise services.NotFound("That file isn't here.")
    response = send_file(storage.path_of(submission.file_key), mimetype=files.KINDS[submission.file_type],
                         as_attachment=True, download_name=submission.file_name, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def allow_upload():
    """Before any other hook reads the form (CSRF does): only the hand-in form may carry up to 10 MB."""
    if request.endpoint != "assignments.show" or request.method != "POST":
        return None
    request.max_content_length = UPLOAD_LIMIT
    if (request.content_length or 0) > UPLOAD_LIMIT:
        from portal.errors import _render

        return _render(413, TOO_LARGE)
    return None
