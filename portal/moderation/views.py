"""Flag pages for members; the moderation queue and its actions for facilitators and site admins."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from portal.discussions.visibility import viewer_for
from portal.errors import DomainError
from portal.extensions import limiter, user_key
from portal.moderation import actions, flags
from portal.moderation import queue as queue_service
from portal.moderation.flag_models import FLAG_REASONS, NOTE_MAX
from portal.moderation.subjects import KIND_OF_PATH, load_subject, subject_link, visible_to
from portal.numbers import parse_id
from portal.permissions import FACILITATOR, MEMBER, SITE_ADMIN, access, is_facilitator_here

bp = Blueprint("moderation", __name__)
INVALID = 422


def _subject_or_404(path: str, item_id: int, *, for_viewer: bool = True):
    kind = KIND_OF_PATH.get(path)
    subject = load_subject(kind, item_id, g.cohort.id) if kind else None
    if subject is None:
        abort(404)
    if for_viewer and not visible_to(subject, viewer_for(current_user, g.cohort, is_facilitator_here())):
        abort(404)
    return subject


@bp.route("/cohorts/<int:cohort_id>/<path>/<int:item_id>/flag", methods=["GET", "POST"])
@access(MEMBER, when_read_only=True)  # a muted or paused member may still tell a facilitator what worries them
@limiter.limit(lambda: current_app.config["RATELIMIT_POST"], methods=["POST"], key_func=user_key)
def flag(path: str, item_id: int):
    """Flag something you can see, with a reason; a page of its own, no JavaScript needed."""
    subject = _subject_or_404(path, item_id)
    if subject.author_id == current_user.id:
        flash(f"This is your own {subject.noun}, so it can't be flagged. You can change or take back what you "
              "wrote, or talk to a facilitator if something is worrying you.", "info")
        return redirect(subject_link(subject))
    existing = flags.own_flag(current_user.id, subject.kind, subject.id)
    reason, note, error, status = request.form.get("reason"), request.form.get("note", ""), None, 200
    if request.method == "POST" and existing is None:
        try:
            if g.cohort.is_archived:
                raise DomainError("This cohort has been archived, so nothing can be flagged here. If something "
                                  "worries you, please contact a facilitator.")
            done = flags.flag_item(current_user, subject, reason, note)
        except DomainError as e:
            error, status = e.message, e.status
        else:
            flash(_thanks(done), "success")
            return redirect(subject_link(subject))
    elif request.method == "POST":
        flash("You have already flagged this, so nothing more was needed. Thank you: a facilitator will look at it.",
              "info")
        return redirect(subject_link(subject))
    return render_template("moderation/flag.html", subject=subject, existing=existing, reasons=FLAG_REASONS,
                           reason=reason, note=note, error=error, note_max=NOTE_MAX,
                           back=subject_link(subject)), status


def _thanks(done: flags.Flagged) -> str:
    if done.already:
        return "You have already flagged this, so nothing more was needed. Thank you: a facilitator will look at it."
    if done.flag is not None and done.flag.reason == "safety":
        return ("Thank you for telling us. The cohort's facilitators have been told straight away. If someone is in "
                "danger now, please use the “Need help now?” page: the portal is not a crisis service.")
    return "Thank you. A facilitator will look at it. Only the facilitators can see that you flagged it."


@bp.get("/cohorts/<int:cohort_id>/moderation")
@access(FACILITATOR)
def queue():
    """The cohort's open alerts and flags, safety first then oldest."""
    items = queue_service.load_queue([g.cohort.id])
    return render_template("moderation/queue.html", items=items, across=False,
                           restricted=queue_service.restricted_members(g.cohort.id),
                           follow_ups=queue_service.follow_ups_due([g.cohort.id]), **queue_service.page_helpers())


@bp.get("/admin/moderation")
@access(SITE_ADMIN)
def admin_queue():
    """Open alerts and flags, for site admins: the words of the cohorts they facilitate or have open, and
    for the others only how much is waiting (portal/cohorts/openings.py)."""
    from portal.cohorts.openings import readable_cohort_ids
    from portal.dates import local_today
    from portal.moderation.across import waiting_elsewhere

    readable = readable_cohort_ids(current_user)
    items = queue_service.load_queue(readable)
    return render_template("moderation/queue.html", items=items, across=True, restricted=[],
                           follow_ups=queue_service.follow_ups_due(readable),
                           elsewhere=waiting_elsewhere(readable, local_today()), **queue_service.page_helpers())


def _back():
    return redirect(url_for("moderation.queue"))


@bp.post("/cohorts/<int:cohort_id>/moderation/<path>/<int:item_id>")
@access(FACILITATOR)
def act(path: str, item_id: int):
    """One action on one item from the queue: dismiss, hide, restore, lock, unlock, move, mute, suspend."""
    subject = _subject_or_404(path, item_id, for_viewer=False)
    what = request.form.get("action", "")
    form = request.form
    try:
        if what == "dismiss":
            n = actions.dismiss_flag(current_user, subject, parse_id(form.get("flag")) if form.get("flag") else None)
            said = f"{n} flag{'s' if n != 1 else ''} dismissed." if n else "Marked as looked at."
        elif what == "hide":
            actions.hide_item(current_user, subject, form.get("reason"))
            said = "Hidden. Others now see a short note in its place; its author sees your reason."
        elif what == "restore":
            actions.restore_item(current_user, subject)
            said = "It shows to everyone again."
        elif what in ("lock", "unlock"):
            actions.set_locked(current_user, subject, what == "lock")
            said = "The thread is locked: nobody can reply." if what == "lock" else "The thread is open again."
        elif what == "move":
            target = form.get("session", "")
            session_id = None if target == "general" else parse_id(target)
            if session_id is None and target != "general":
                raise actions.NeedsReason("Please choose where to move the thread from the list.")
            actions.move_thread(current_user, subject, session_id)
            said = "The thread has been moved."
        elif what in ("mute", "suspend"):
            days = actions.parse_days(form.get("days"), allow_until_lifted=what == "suspend")
            said = actions.restrict_member(current_user, g.cohort.id, subject.author_id, what, days,
                                           form.get("reason"), subject)
        else:
            raise actions.InvalidInput("That action isn't available.")
    except DomainError as e:
        return _refused(e)
    flash(said, "success")
    return _back()


def _refused(error: DomainError):
    """A refused action: why, and whatever was typed (a reason), so nothing is lost; a 4xx answer."""
    typed = (request.form.get("reason") or "").strip()
    return render_template("moderation/refused.html", message=error.message, typed=typed), error.status


@bp.post("/cohorts/<int:cohort_id>/moderation/people/<int:user_id>")
@access(FACILITATOR)
def member(user_id: int):
    """Lift a mute or a suspension early."""
    what = request.form.get("action", "")
    try:
        if what not in ("unmute", "lift"):
            raise actions.InvalidInput("That action isn't available.")
        said = actions.restrict_member(current_user, g.cohort.id, user_id, what, None, None)
    except DomainError as e:
        return _refused(e)
    flash(said, "success")
    return _back()


@bp.route("/cohorts/<int:cohort_id>/moderation/<path>/<int:item_id>/edit", methods=["GET", "POST"])
@access(FACILITATOR)
def edit(path: str, item_id: int):
    """Edit a post or response: readers see "edited by a facilitator", the original is kept as a revision."""
    subject = _subject_or_404(path, item_id, for_viewer=False)
    target = subject.target
    if subject.kind == "feedback" or target is None:
        abort(404)
    body, reason, error, status = target.body_source, "", None, 200
    if request.method == "POST":
        body, reason = request.form.get("body", ""), request.form.get("reason", "")
        try:
            actions.edit_item(current_user, subject, body, reason)
        except DomainError as e:
            error, status = e.message, e.status  # the words typed stay in the form
        else:
            flash("Saved. Readers see that a facilitator edited it; the original is kept.", "success")
            return _back()
    return render_template("moderation/edit.html", subject=subject, body=body, reason=reason, error=error,
                           path=path), status
