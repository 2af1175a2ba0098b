"""Single posts: permalinks, editing, withdrawing, revisions, reactions; drafts, preview and search."""
from __future__ import annotations

from flask import abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.auth.models import User
from portal.discussions import composer_hints as hints, queries, services
from portal.discussions.forms import DraftForm, EditForm
from portal.discussions.models import Post, PostRevision, Thread
from portal.discussions.text import InvalidText
from portal.discussions.views import INVALID, KEPT_TEXT, KEPT_WITH, _viewer, bp
from portal.discussions.visibility import can_view_post, select_visible_posts
from portal.extensions import db, limiter, user_key
from portal.keep.rescue import keeps, take_kept
from portal.markdown import render_markdown
from portal.numbers import parse_id
from portal.permissions import FACILITATOR, MEMBER, access, can_write_here, is_facilitator_here
from portal.search import match_posts

SEARCH_LIMIT = 50


def _post_or_404(post_id: int) -> tuple[Post, Thread]:
    """A post of this cohort that this viewer may see; anything else is a 404."""
    row = db.session.execute(select(Post, Thread).join(Thread, Thread.id == Post.thread_id)
                             .where(Post.id == post_id, Post.cohort_id == g.cohort.id)).first()
    if row is None:
        abort(404)
    post, thread = row
    state = queries.load_thread_state(_viewer(), thread.id)
    if state is None or not can_view_post(_viewer(), post, thread, state.has_replied):
        abort(404)
    return post, thread


@bp.get("/posts/<int:post_id>")
@access(MEMBER)
def permalink(post_id: int):
    """A post's permanent address: its thread, on the right page."""
    post, thread = _post_or_404(post_id)
    page = queries.page_of(_viewer(), post)
    return redirect(url_for("discussions.thread", thread_id=thread.id, page=page if page > 1 else None,
                            _anchor=f"post-{post.id}"))


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@access(MEMBER)
@keeps(KEPT_TEXT, KEPT_WITH)
def edit(post_id: int):
    """Edit your own post; the earlier text is kept for facilitators."""
    post, thread = _post_or_404(post_id)
    if post.author_id != current_user.id or post.withdrawn_at is not None:
        abort(404)
    form = EditForm()
    conflict = False
    preview = found = None
    if request.method == "GET":
        form.body.data, form.version.data = post.body_source, services.version_of(post)
        form.fill_warning(post.content_warning)
        draft = services.get_draft(current_user.id, g.cohort.id, f"edit:{post.id}")
        if draft is not None and draft.token == form.version.data:  # typed against this very version
            form.body.data = draft.body
            form.fill_warning(draft.content_warning)
        take_kept(form)
    elif not form.validate_on_submit():
        pass
    elif request.form.get("action") == "preview":  # look, don't save
        preview, found = render_markdown(form.body.data), hints.hints_for(form.body.data, g.cohort.id)
    else:
        try:
            services.edit_post(current_user, post, form.body.data, form.content_warning, form.version.data,
                               exempt=is_facilitator_here())
        except services.EditConflict:
            conflict = True
            form.version.data = services.version_of(post)  # saving again now overwrites, knowingly
        except InvalidText as e:
            form.body.errors.append(e.message)
        else:
            flash("Your changes are saved.", "success")
            hints.carry(form.body.data, g.cohort.id, thread.id, post.id)
            return redirect(url_for("discussions.permalink", post_id=post.id))
    status = 409 if conflict else (INVALID if form.errors else 200)
    return render_template("discussions/edit.html", form=form, post=post, thread=thread, conflict=conflict,
                           draft_key=f"edit:{post.id}", preview=preview, hints=found), status


@bp.route("/posts/<int:post_id>/withdraw", methods=["GET", "POST"])
@access(MEMBER)
def withdraw(post_id: int):
    """Take back your own post, after being asked; a short placeholder keeps the thread readable."""
    post, thread = _post_or_404(post_id)
    if post.author_id != current_user.id or (request.method == "GET" and not can_write_here()):
        abort(404)
    if request.method == "GET":
        if post.withdrawn_at is not None:
            return redirect(url_for("discussions.permalink", post_id=post.id))
        return render_template("discussions/withdraw.html", post=post, thread=thread)
    services.withdraw_post(current_user, post)
    flash("Your post has been withdrawn. Others now see that it was withdrawn by its author.", "success")
    return redirect(url_for("discussions.permalink", post_id=post.id))


@bp.get("/posts/<int:post_id>/revisions")
@access(FACILITATOR)
def revisions(post_id: int):
    """Earlier versions of an edited post, newest first."""
    post, thread = _post_or_404(post_id)
    rows = db.session.scalars(select(PostRevision).where(PostRevision.post_id == post.id)
                              .order_by(PostRevision.id.desc())).all()
    author = db.session.get(User, post.author_id) if post.author_id else None
    return render_template("discussions/revisions.html", post=post, thread=thread, rows=rows, author=author)


@bp.post("/posts/<int:post_id>/react")
@access(MEMBER)
@limiter.limit("120 per minute", key_func=user_key)
def react(post_id: int):
    """Add or take back a supportive reaction."""
    post, _thread = _post_or_404(post_id)
    try:
        services.toggle_reaction(current_user, post, request.form.get("kind", ""))
    except services.RuleViolation as e:  # a withdrawn post; an unknown kind is a 422 page
        flash(e.message, "warning")
    return redirect(url_for("discussions.permalink", post_id=post.id))


@bp.post("/drafts")
@access(MEMBER)
@limiter.limit("120 per minute", key_func=user_key)
def save_draft():
    """Autosave from the composer script: keeps what is being typed on the server."""
    form = DraftForm()
    key = form.key.data or ""
    if not form.validate_on_submit() or not _draft_key_allowed(key):
        return jsonify(saved=False, errors=form.errors), 400
    try:
        draft = services.save_draft(current_user, g.cohort.id, key, form.title.data, form.body.data or "",
                                    form.warning.data or None, form.token.data or None)
    except services.DraftSpent:
        return jsonify(saved=False, posted=True), 409
    return jsonify(saved=True, updated_at=draft.updated_at.isoformat())


def _draft_key_allowed(key: str) -> bool:
    kind, _, ref = key.partition(":")
    if kind == "assignment":  # only a learner's hand-in text for an assignment open in this cohort
        from portal.assignments.services import draft_allowed  # assignments build on discussions
        return not is_facilitator_here() and draft_allowed(g.cohort.id, ref)
    return kind in ("reply", "thread", "edit", "response", "feedback", "practice", "journal") and (
        parse_id(ref) is not None or (kind == "thread" and ref == "general") or (kind == "journal" and ref == "new"))


@bp.post("/preview")
@access(MEMBER)
@limiter.limit("120 per minute", key_func=user_key)
def preview():
    """The composer's live preview: the same rendering and sanitising as a saved post."""
    body = request.form.get("body", "")  # CSRFProtect has already checked the token
    if len(body) > 200_000:
        abort(413)
    return render_template("discussions/_preview.html", html=render_markdown(body))


@bp.post("/hints")
@access(MEMBER)
@limiter.limit("120 per minute", key_func=user_key)
def composer_hints():
    """The composer's live hints while typing: suggestions on wording and other people's details."""
    body = request.form.get("body", "")  # CSRFProtect has already checked the token
    if len(body) > 200_000:
        abort(413)
    return render_template("discussions/_hints_fragment.html", hints=hints.hints_for(body, g.cohort.id))


@bp.get("/search")
@access(MEMBER)
def search():
    """Search the posts this person can see in this cohort."""
    q = (request.args.get("q") or "").strip()[:200]
    results = []
    if q:
        base = (select_visible_posts(_viewer(), include_withdrawn=False)
                .add_columns(User).outerjoin(User, User.id == Post.author_id))
        matched = match_posts(base, Post.id, q)
        if matched is not None:
            results = db.session.execute(matched.order_by(Post.id.desc()).limit(SEARCH_LIMIT)).all()
    return render_template("discussions/search.html", q=q, results=results, limit=SEARCH_LIMIT)


