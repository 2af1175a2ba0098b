"""Copy an entry into a discussion: the author's own new thread or reply, through the discussions service."""
from __future__ import annotations

import secrets

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from portal.cohorts.timetable import load_timetable
from portal.discussions.held import WarningNeeded
from portal.discussions.text import InvalidText
from portal.discussions.visibility import space_is_open, viewer_for
from portal.errors import NotFound, RuleViolation
from portal.extensions import limiter, user_key
from portal.journal.copying import copy_entry, open_threads
from portal.journal.forms import CopyEntryForm
from portal.journal.views import INVALID, _entry_or_404, bp
from portal.permissions import MEMBER, access, is_facilitator_here


def _choices(viewer) -> tuple[dict[str, int | None], dict[str, object]]:
    """Open spaces ("general" or a session number) and the threads in them the author can see."""
    spaces: dict[str, tuple[int | None, str]] = {"general": (None, "General conversation")}
    for slot in load_timetable(g.cohort.id):
        if space_is_open(viewer, slot.session.id):
            spaces[str(slot.number)] = (slot.session.id, f"Session {slot.number}: {slot.session.title}")
    by_space: dict[int | None, list] = {}
    for thread in open_threads(viewer):  # one query for every space, not one per space
        by_space.setdefault(thread.course_session_id, []).append(thread)
    threads = {}
    for session_id, label in spaces.values():
        for thread in by_space.get(session_id, ()):
            threads[str(thread.id)] = (thread, f"{label} – {thread.title}")
    return spaces, threads


@bp.route("/<int:entry_id>/copy", methods=["GET", "POST"])
@access(MEMBER)
@limiter.limit("30 per minute", methods=["POST"], key_func=user_key)
def copy(entry_id: int):
    entry = _entry_or_404(entry_id)
    viewer = viewer_for(current_user, g.cohort, is_facilitator_here())
    spaces, threads = _choices(viewer)
    form = CopyEntryForm()
    form.space.choices = [(k, label) for k, (_sid, label) in spaces.items()]
    form.thread.choices = [("", "No: start a new thread")] + [(k, label) for k, (_t, label) in threads.items()]
    if request.method == "GET":
        form.client_token.data = secrets.token_urlsafe(16)
        form.title.data = entry.title
    elif form.validate_on_submit():
        space = spaces.get(form.space.data or "")
        thread = threads.get(form.thread.data or "")
        if form.thread.data and thread is None:
            form.thread.errors.append("Choose one of the threads in the list, or none.")
        elif space is None and thread is None:
            form.space.errors.append("Choose one of the open discussions.")
        else:
            try:
                post = copy_entry(current_user, g.cohort, viewer, entry.id, space[0] if space else None,
                                  thread[0] if thread else None, form.title.data, form.client_token.data or None,
                                  exempt=is_facilitator_here())
            except NotFound:
                abort(404)
            except (InvalidText, WarningNeeded, RuleViolation) as e:
                form.space.errors.append(e.message)
            else:
                if post.held_at is not None:
                    flash("Your words are waiting for a facilitator to look at them before others see them. "
                          "Your journal entry stays private.", "info")
                else:
                    flash("Copied into the discussion as your own post. Your journal entry stays private.",
                          "success")
                return redirect(url_for("discussions.permalink", post_id=post.id))
    status = INVALID if form.errors else 200
    return render_template("journal/copy.html", entry=entry, form=form), status
