"""Discussion spaces, threads and replies."""
from __future__ import annotations

import secrets

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select

from portal.auth.models import User
from portal.cohorts.timetable import load_timetable
from portal.discussions import composer_hints, queries, services
from portal.discussions.forms import ReplyForm, ThreadForm, ThreadSettingsForm
from portal.discussions.models import Post, reply_draft_key
from portal.discussions.text import InvalidText
from portal.discussions.visibility import (can_view_post, can_view_thread, hidden_from, space_is_open, viewer_for,
                                          waiting_to_share)
from portal.dates import zone_name
from portal.errors import RuleViolation
from portal.extensions import db, limiter, user_key
from portal.keep.rescue import keeps, take_kept
from portal.markdown import render_markdown
from portal.moderation import levels
from portal.numbers import parse_id, query_int
from portal.discussions.render import PageContext, PostLinks, render_posts
from portal.permissions import FACILITATOR, MEMBER, access, can_write_here, is_facilitator_here

bp = Blueprint("discussions", __name__, url_prefix="/cohorts/<int:cohort_id>")
INVALID = 422
# What a composer keeps when its session ends before it is sent (portal/keep).
KEPT_TEXT = {"title": "Title", "body": "Your words", "warning_other": "Your content warning"}
KEPT_WITH = ("warning_choice", "reply_to", "version")


def post_limit() -> str:
    return current_app.config["RATELIMIT_POST"]


def _viewer():
    if "viewer" not in g:
        g.viewer = viewer_for(current_user, g.cohort, is_facilitator_here())
    return g.viewer


def _space_or_404(space: str):
    """'general' or a session number whose space is open to this viewer -> (course session id, slot)."""
    if space == "general":
        return None, None
    number = parse_id(space)
    if number is None:
        abort(404)
    slot = next((s for s in load_timetable(g.cohort.id) if s.number == number), None)
    if slot is None or not space_is_open(_viewer(), slot.session.id):
        abort(404)
    return slot.session.id, slot


def _thread_or_404(thread_id: int) -> queries.ThreadState:
    state = queries.load_thread_state(_viewer(), thread_id)
    if state is None or not can_view_thread(_viewer(), state.thread):
        abort(404)
    return state


@bp.get("/discussions")
@access(MEMBER)
def index():
    """The cohort's discussion spaces: general, then each open session."""
    viewer = _viewer()
    slots = [s for s in load_timetable(g.cohort.id) if space_is_open(viewer, s.session.id)]
    return render_template("discussions/index.html", slots=slots, summaries=queries.space_summaries(viewer))


@bp.get("/discussions/<space>")
@access(MEMBER)
def space(space: str):
    """A space's threads, with reply and unread counts."""
    session_id, slot = _space_or_404(space)
    rows = queries.load_thread_list(_viewer(), session_id)
    return render_template("discussions/space.html", rows=rows, slot=slot, space=space)


@bp.route("/discussions/<space>/new", methods=["GET", "POST"])
@access(MEMBER)
@keeps(KEPT_TEXT, KEPT_WITH)
@limiter.limit(post_limit, methods=["POST"], key_func=user_key)
def new_thread(space: str):
    """Start a thread."""
    session_id, slot = _space_or_404(space)
    form = ThreadForm()
    draft_key = f"thread:{session_id or 'general'}"
    if request.method == "GET":
        form.client_token.data = secrets.token_urlsafe(16)
        if (draft := services.get_draft(current_user.id, g.cohort.id, draft_key)) is not None:
            form.title.data, form.body.data = draft.title, draft.body
            form.fill_warning(draft.content_warning)
        take_kept(form)
    preview = hints = None
    if form.validate_on_submit():
        if request.form.get("action") == "preview":
            preview = render_markdown(form.body.data)
            hints = composer_hints.hints_for(form.body.data, g.cohort.id)
        else:
            try:
                post = services.start_thread(current_user, g.cohort, session_id, form.title.data, form.body.data,
                                             form.content_warning, form.client_token.data or None,
                                             exempt=is_facilitator_here())
            except services.WarningNeeded as e:
                form.warning_choice.errors.append(e.message)
            except (InvalidText, RuleViolation) as e:
                form.body.errors.append(e.message)
            else:
                composer_hints.carry(form.body.data, g.cohort.id, post.thread_id, post.id)
                return redirect(url_for("discussions.thread", thread_id=post.thread_id))
    status = INVALID if form.errors else 200
    return render_template("discussions/new_thread.html", form=form, slot=slot, space=space, preview=preview,
                           hints=hints, draft_key=draft_key,
                           moderation=levels.of_slot(slot.entry, slot.session) if slot else None), status


@bp.route("/threads/<int:thread_id>", methods=["GET", "POST"])
@access(MEMBER)
@keeps(KEPT_TEXT, KEPT_WITH)
@limiter.limit(post_limit, methods=["POST"], key_func=user_key)
def thread(thread_id: int):
    """Read a thread (50 posts a page) and reply to it."""
    viewer = _viewer()
    state = _thread_or_404(thread_id)
    page = query_int("page", 1, maximum=99_999)
    posts = None
    if request.method == "GET":
        posts = queries.load_posts_page(viewer, state, page)
        if page > posts.pages:  # an old link or a typed address: the last page there is
            return redirect(url_for("discussions.thread", thread_id=thread_id,
                                    page=posts.pages if posts.pages > 1 else None))
    form = ReplyForm()
    preview = hints = posted = None
    if request.method == "POST" and request.form.get("action") == "cancel_reply":
        form.reply_to.data = ""  # nothing is sent: the words stay, answering no one in particular
    elif request.method == "POST" and form.validate_on_submit():
        if request.form.get("action") == "preview":
            preview = render_markdown(form.body.data)
            hints = composer_hints.hints_for(form.body.data, g.cohort.id)
        else:
            result = _reply(state, form)
            if result is not None:
                return result
    elif request.method == "GET":
        form.client_token.data = secrets.token_urlsafe(16)
        if state.draft is not None:
            form.body.data = state.draft.body
            form.fill_warning(state.draft.content_warning)
        _prefill_reply(form, state)
        take_kept(form)  # no query unless this browser holds kept text
        posted = composer_hints.take_carried(thread_id)  # from the cookie: no query
    replying_to = _visible_post_and_author(state, form.reply_to.data)  # found already when there is one
    if posts is None:
        posts = queries.load_posts_page(viewer, state, page)
    if posts.posts and request.method == "GET" and posts.posts[-1].number > state.last_read:
        services.mark_read(current_user.id, state.thread, posts.posts[-1].number)
    writable, facilitating = can_write_here(), is_facilitator_here()
    links = PostLinks(url_for("discussions.permalink", post_id=0)[:-1],
                      url_for("discussions.thread", thread_id=thread_id), zone_name(), writable,
                      writable and not state.thread.locked,
                      url_for("holding.review", kind="post", item_id=0)[:-1] if facilitating else "")
    posts_html = render_posts(posts.posts, PageContext(links, current_user.id, state.last_read, facilitating),
                              generate_csrf())
    waiting = waiting_to_share(viewer, state.thread, state.has_replied)
    my_held = [row for row in posts.posts if row.author_id == current_user.id and row.held_at is not None
               and row.released_at is None and row.withdrawn_at is None]  # from the page's rows: no query
    return render_template("discussions/thread.html", state=state, my_held=my_held, posts_html=posts_html, page=page,
                           pages=posts.pages, form=form, preview=preview, hints=hints, posted=posted, waiting=waiting,
                           settings=ThreadSettingsForm(obj=state.thread) if facilitating and writable else None,
                           draft_key=reply_draft_key(thread_id), replying_to=replying_to,
                           first_unread=_first_unread_link(state, posts.posts, waiting)), INVALID if form.errors else 200


def _first_unread_link(state: queries.ThreadState, rows, waiting: bool) -> str | None:
    """Where the skip link to the first unread post goes: its marker on this page, or the jump to it."""
    marker = state.last_read + 1 if state.last_read else None
    if marker is None or waiting:
        return None
    if any(row.number == marker for row in rows):
        return "#new"
    if rows and rows[-1].number < marker <= state.thread.post_count:
        # Held posts take numbers too: only a thread with some asks whether a later post is visible.
        if state.thread.held_count and not _viewer().sees_everything and queries.first_unread(
                _viewer(), state.thread.id, rows[-1].number) is None:
            return None
        return url_for("discussions.unread", thread_id=state.thread.id)
    return None


def _visible_post_and_author(state: queries.ThreadState, value: str | None) -> tuple[Post, str] | None:
    """A post of this thread that the viewer may see, by the id a form or link sent, with its author's name;
    else None. Remembered for the request: the reply-to line and the reply itself ask for the same post."""
    post_id = parse_id(value)
    if post_id is None:
        return None
    found = g.setdefault("visible_posts", {})
    if post_id not in found:
        row = db.session.execute(select(Post, User.display_name).outerjoin(User, User.id == Post.author_id).where(
            Post.id == post_id, Post.thread_id == state.thread.id, Post.withdrawn_at.is_(None))).first()
        ok = (row is not None and can_view_post(_viewer(), row[0], state.thread, state.has_replied)
              and not hidden_from(row[0], current_user.id, _viewer().sees_everything))  # no quoting hidden words
        found[post_id] = (row[0], row[1] or "the course") if ok else None
    return found[post_id]


def _visible_post(state: queries.ThreadState, value: str | None) -> Post | None:
    found = _visible_post_and_author(state, value)
    return found[0] if found else None


def _prefill_reply(form: ReplyForm, state: queries.ThreadState) -> None:
    """?reply_to=<post> answers a post; ?quote=<post> also quotes it."""
    for arg in ("reply_to", "quote"):
        target = _visible_post(state, request.args.get(arg))
        if target is None:
            continue
        form.reply_to.data = str(target.id)
        if arg == "quote":
            quoted = "\n".join("> " + line for line in target.body_source.splitlines())
            form.body.data = f"{quoted}\n\n{form.body.data or ''}".rstrip() + "\n\n"


def _reply(state: queries.ThreadState, form: ReplyForm):
    reply_to = None
    if form.reply_to.data:
        reply_to = _visible_post(state, form.reply_to.data)
        if reply_to is None:
            abort(404)
    try:
        post = services.reply(current_user, state.thread, form.body.data, form.content_warning, reply_to,
                              form.client_token.data or None, exempt=is_facilitator_here())
    except services.WarningNeeded as e:
        form.warning_choice.errors.append(e.message)
        return None
    except (InvalidText, RuleViolation) as e:
        form.body.errors.append(e.message)
        return None
    composer_hints.carry(form.body.data, g.cohort.id, state.thread.id, post.id)
    return redirect(url_for("discussions.permalink", post_id=post.id))


@bp.get("/threads/<int:thread_id>/unread")
@access(MEMBER)
def unread(thread_id: int):
    """Jump to the first post this person has not read yet."""
    state = _thread_or_404(thread_id)
    post = queries.first_unread(_viewer(), thread_id, state.last_read)
    if post is None:
        return redirect(url_for("discussions.thread", thread_id=thread_id, page=queries.count_pages(
            _viewer(), state)))
    return redirect(url_for("discussions.permalink", post_id=post.id))


@bp.post("/threads/<int:thread_id>/settings")
@access(FACILITATOR)
def thread_settings(thread_id: int):
    """Pin, close, or make a thread share-first."""
    state = _thread_or_404(thread_id)
    form = ThreadSettingsForm()
    if form.validate_on_submit():
        services.update_thread_settings(state.thread, pinned=form.pinned.data, locked=form.locked.data,
                                        share_first=form.share_first.data)
        flash("Thread settings saved.", "success")
    return redirect(url_for("discussions.thread", thread_id=thread_id))
