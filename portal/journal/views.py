"""Journal pages: the author's list, writing, editing, deleting and export. Every page reads entries only
through the services, which filter by author (other people, facilitators and site admins get 404)."""
from __future__ import annotations

import secrets

from flask import Blueprint, abort, flash, g, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from portal.cohorts.timetable import load_timetable
from portal.discussions import services as discussions
from portal.discussions.text import InvalidText
from portal.errors import NotFound
from portal.extensions import limiter, user_key
from portal.journal import export, prompts, services
from portal.journal.forms import EntryForm
from portal.keep.rescue import keeps, take_kept
from portal.markdown import render_markdown
from portal.numbers import parse_id
from portal.permissions import MEMBER, access

bp = Blueprint("journal", __name__, url_prefix="/cohorts/<int:cohort_id>/journal")
INVALID = 422
KEPT_TEXT = {"title": "Title", "body": "Your entry"}
KEPT_WITH = ("session", "version")


def _member_only() -> None:
    """A journal belongs to a member: a site admin outside the cohort has none."""
    if g.get("membership") is None:
        abort(404)


def _entry_or_404(entry_id: int):
    _member_only()
    try:
        return services.entry_of(current_user.id, g.cohort.id, entry_id)
    except NotFound:
        abort(404)


def _sessions() -> dict[int, str]:
    return {s.session.id: f"Session {s.number}: {s.session.title}" for s in load_timetable(g.cohort.id)}


@bp.get("")
@access(MEMBER)
def index():
    """The author's entries, newest first; optionally those about one session."""
    _member_only()
    sessions = _sessions()
    chosen = parse_id(request.args.get("session"))
    if chosen is not None and chosen not in sessions:
        chosen = None
    entries = services.entries_of(current_user.id, g.cohort.id, chosen)
    return render_template("journal/index.html", entries=entries, sessions=sessions, chosen=chosen)


@bp.get("/<int:entry_id>")
@access(MEMBER)
def show(entry_id: int):
    entry = _entry_or_404(entry_id)
    return render_template("journal/show.html", entry=entry, sessions=_sessions())


def _setup(form: EntryForm, sessions: dict[int, str]) -> None:
    form.session.choices = [("", "No particular session")] + [(str(k), v) for k, v in sessions.items()]


def _chosen_session(form: EntryForm, sessions: dict[int, str]) -> int | None:
    value = parse_id(form.session.data or "")
    if form.session.data and value not in sessions:
        form.session.errors = [*form.session.errors, "Choose one of this cohort's sessions, or none."]
    return value if value in sessions else None


@bp.route("/new", methods=["GET", "POST"])
@access(MEMBER)
@keeps(KEPT_TEXT, KEPT_WITH)
@limiter.limit("60 per minute", methods=["POST"], key_func=user_key)
def write():
    """Write an entry. "Start from the prompts" fills the body with the reflective cycle's headings."""
    _member_only()
    sessions = _sessions()
    form = EntryForm()
    _setup(form, sessions)
    key, preview = services.NEW_KEY, None
    action = request.form.get("action") or request.args.get("start")
    if request.method == "GET":
        form.client_token.data = secrets.token_urlsafe(16)
        if (session_id := parse_id(request.args.get("session"))) in sessions:
            form.session.data = str(session_id)
        if (draft := discussions.get_draft(current_user.id, g.cohort.id, key)) is not None:
            form.title.data, form.body.data = draft.title, draft.body
        take_kept(form)
        if action == "prompts" and not (form.body.data or "").strip():
            form.body.data = prompts.prompts_body(prompts.load_prompts())
    elif action == "prompts":  # no JavaScript: fill the body, keep the rest, save nothing
        form.body.data = ((form.body.data or "").rstrip() + "\n\n" if form.body.data else "") + \
            prompts.prompts_body(prompts.load_prompts())
    elif form.validate_on_submit():
        session_id = _chosen_session(form, sessions)
        if action == "preview":
            preview = render_markdown(form.body.data)
        elif not form.session.errors:
            try:
                entry = services.write_entry(current_user, g.cohort, session_id, form.title.data, form.body.data,
                                             form.client_token.data or None)
            except InvalidText as e:
                form.body.errors.append(e.message)
            else:
                flash("Your entry is saved. Only you can read it.", "success")
                return redirect(url_for("journal.show", entry_id=entry.id))
    status = INVALID if form.errors else 200
    return render_template("journal/write.html", form=form, entry=None, draft_key=key, preview=preview,
                           prompts=prompts.load_prompts()), status


@bp.route("/<int:entry_id>/edit", methods=["GET", "POST"])
@access(MEMBER)
@keeps(KEPT_TEXT, KEPT_WITH)
@limiter.limit("60 per minute", methods=["POST"], key_func=user_key)
def edit(entry_id: int):
    entry = _entry_or_404(entry_id)
    sessions = _sessions()
    form = EntryForm()
    _setup(form, sessions)
    key, preview, conflict = services.draft_key(entry.id), None, False
    if request.method == "GET":
        form.title.data, form.body.data = entry.title, entry.body_source
        form.session.data, form.version.data = str(entry.course_session_id or ""), entry.version
        draft = discussions.get_draft(current_user.id, g.cohort.id, key)
        if draft is not None and draft.token == entry.version:
            form.title.data, form.body.data = draft.title, draft.body
        take_kept(form)
    elif form.validate_on_submit():
        session_id = _chosen_session(form, sessions)
        if request.form.get("action") == "preview":
            preview = render_markdown(form.body.data)
        elif form.version.data != entry.version:  # changed in another tab: keep both, save again to overwrite
            conflict, form.version.data = True, entry.version
        elif not form.session.errors:
            try:
                services.edit_entry(current_user, g.cohort, entry.id, session_id, form.title.data, form.body.data)
            except InvalidText as e:
                form.body.errors.append(e.message)
            else:
                flash("Your changes are saved.", "success")
                return redirect(url_for("journal.show", entry_id=entry.id))
    status = 409 if conflict else (INVALID if form.errors else 200)
    return render_template("journal/write.html", form=form, entry=entry, draft_key=key, preview=preview,
                           prompts=(), conflict=conflict), status


@bp.route("/<int:entry_id>/delete", methods=["GET", "POST"])
@access(MEMBER)
def delete(entry_id: int):
    """Delete an entry, after being asked."""
    entry = _entry_or_404(entry_id)
    if request.method == "GET":
        return render_template("journal/delete.html", entry=entry)
    services.delete_entry(current_user, g.cohort, entry.id)
    flash("Your entry has been deleted.", "success")
    return redirect(url_for("journal.index"))


@bp.get("/export.md")
@access(MEMBER)
def download():
    """The author's own journal in this cohort, as a Markdown file."""
    _member_only()
    text = export.journal_markdown(g.cohort, services.entries_of(current_user.id, g.cohort.id), _sessions())
    response = make_response(text)
    response.headers["Content-Type"] = "text/markdown; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="my-journal.md"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response
