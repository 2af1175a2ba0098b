"""Session resources inside a cohort: the list, adding, ordering and withdrawing, opening a file or a link."""
from __future__ import annotations

import secrets
from pathlib import Path

from flask import (Blueprint, abort, current_app, flash, g, redirect, render_template, request, send_file,
                   url_for)
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.exceptions import RequestEntityTooLarge

from portal import storage
from portal.cohorts.timetable import load_timetable
from portal.errors import DomainError, NotFound
from portal.keep.rescue import keeps, take_kept
from portal.permissions import FACILITATOR, MEMBER, access, is_facilitator_here
from portal.resources import files, queries, services
from portal.resources.content import FILE_NAME, files_folder
from portal.resources.forms import MoveForm, ResourceForm
from portal.resources.links import link_host

bp = Blueprint("resources", __name__, url_prefix="/cohorts/<int:cohort_id>")
KEPT = {"title": "Title", "description": "Short description", "url": "A link"}
UPLOAD_LIMIT = files.MAX_BYTES + 512 * 1024  # the file plus the form around it
TOO_LARGE = ("That file is larger than 20 MB, so it wasn't sent and nothing was added. Please make it smaller "
             "(for example, save it as PDF without large pictures) and try again. Your browser's Back button "
             "takes you to the form as you left it.")


def _slot(number: int):
    """The session's timetable row; 404 until it opens, except for facilitators."""
    slot = next((s for s in load_timetable(g.cohort.id) if s.number == number), None)
    if slot is None or not (slot.is_open or is_facilitator_here()):
        abort(404)
    return slot


@bp.get("/sessions/<int:number>/resources")
@access(MEMBER)
def session_list(number: int):
    """A session's resources: the course's own, then the cohort's; what this member hasn't opened is marked."""
    slot = _slot(number)
    facilitator = is_facilitator_here()
    learner = g.membership is not None and g.membership.role == "learner"
    items = queries.session_resources(g.cohort, slot.session.id, current_user.id, member=learner,
                                      with_withdrawn=facilitator)
    return render_template("resources/session.html", slot=slot, items=items, facilitator=facilitator,
                           form=MoveForm(), host=link_host, size=files.human_size, kind_label=files.kind_label)


@bp.route("/sessions/<int:number>/resources/new", methods=["GET", "POST"])
@access(FACILITATOR)
@keeps(KEPT, ("client_token",))
def add(number: int):
    """Add a link or a handout to one session of the cohort."""
    slot = _slot(number)
    try:
        form = ResourceForm()
    except RequestEntityTooLarge:
        return _add_page(slot, ResourceForm(formdata=None), TOO_LARGE, 413)
    if request.method == "GET":
        form.client_token.data = secrets.token_urlsafe(16)
        take_kept(form)  # words sent after the session ended come back as typed (the file must be chosen again)
        return _add_page(slot, form)
    if not form.validate():
        return _add_page(slot, form, status=422)
    try:
        row = services.add_resource(current_user, g.cohort, number, form.title.data, form.description.data,
                                    form.url.data, form.upload.data, form.client_token.data)
    except DomainError as e:
        return _add_page(slot, form, e.message, e.status)
    flash(f"Added \u201c{row.title}\u201d to session {number}. Learners see it once the session opens.",
          "success")
    return redirect(url_for("resources.session_list", number=number))


def _add_page(slot, form, problem=None, status=200):
    return render_template("resources/add.html", slot=slot, form=form, problem=problem), status


@bp.post("/resources/<int:resource_id>/move")
@access(FACILITATOR)
def move(resource_id: int):
    """Move one of the cohort's resources up or down (a button each: no JavaScript needed)."""
    form = MoveForm()
    if not form.validate():
        abort(400)
    row = services.move_resource(current_user, g.cohort, resource_id, form.direction.data)
    return redirect(url_for("resources.session_list", number=services.number_of(row)) + f"#resource-{row.id}")


@bp.route("/resources/<int:resource_id>/withdraw", methods=["GET", "POST"])
@access(FACILITATOR)
def withdraw(resource_id: int):
    """Withdraw one of the cohort's resources, after a confirmation naming it."""
    row = services.own_resource(g.cohort, resource_id)
    form = FlaskForm()
    if request.method == "POST":
        if not form.validate():
            abort(400)
        services.withdraw_resource(current_user, g.cohort, resource_id)
        flash(f"\u201c{row.title}\u201d has been withdrawn. Nobody can open it now.", "success")
        return redirect(url_for("resources.session_list", number=services.number_of(row)))
    return render_template("resources/withdraw.html", resource=row, number=services.number_of(row), form=form,
                           host=link_host)


@bp.get("/resources/<int:resource_id>")
@access(MEMBER)
def open_resource(resource_id: int):
    """Open a resource: a file as a download, a link by following it. Notes that this member opened it."""
    row = services.open_resource(current_user, g.cohort, g.membership, resource_id, is_facilitator_here())
    if row.kind == "link":
        response = redirect(row.url)
        response.headers["Referrer-Policy"] = "no-referrer"  # the other site learns nothing of the cohort
        return response
    path = _course_file(row.content_file) if row.file_key is None else storage.path_of(row.file_key)
    response = send_file(path, mimetype=files.KINDS[row.file_type], as_attachment=True,
                         download_name=row.file_name or f"resource.{row.file_type}", max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _course_file(name: str | None) -> Path:
    if not name or not FILE_NAME.match(name):
        raise NotFound("That file isn't here.")
    path = files_folder(Path(current_app.config["CONTENT_DIR"])) / name
    if not path.is_file():
        raise NotFound("That file isn't here.")
    return path


def allow_upload():
    """Before any other hook reads the form (CSRF does): only the add form may carry up to 20 MB."""
    if request.endpoint != "resources.add" or request.method != "POST":
        return None
    request.max_content_length = UPLOAD_LIMIT
    if (request.content_length or 0) > UPLOAD_LIMIT:
        from portal.errors import _render

        return _render(413, TOO_LARGE)
    return None
