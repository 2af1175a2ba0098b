"""Notification pages: the list, opening one (access checked again), marking read, email settings,
one-click unsubscribe, following threads and cohorts, and the composer's members lookup."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import exists, select

from portal.auth.models import User
from portal.cohorts.models import Membership
from portal.discussions.models import Thread
from portal.discussions.visibility import can_view_thread, viewer_for
from portal.errors import InvalidInput
from portal.extensions import csrf, db, limiter
from portal.notifications import mentions, services
from portal.notifications.kinds import KINDS, MODE_LABELS, kinds_for
from portal.numbers import query_int
from portal.permissions import FACILITATOR, MEMBER, PUBLIC, USER, access, is_facilitator_here

bp = Blueprint("notifications", __name__)


@bp.get("/notifications")
@access(USER)
def index():
    page = query_int("page", 1, maximum=9_999)
    items, more = services.list_page(current_user.id, page)
    return render_template("notifications/index.html", items=items, page=page, has_more=more)


@bp.get("/notifications/<int:notification_id>")
@access(USER)
def open(notification_id: int):  # noqa: A001  (the route's name)
    """Go to what a notification is about, if the person may still see it; else 404, like anything unknown."""
    target = services.open_notification(current_user.id, notification_id)
    if target is None:
        abort(404)
    endpoint, values = target
    return redirect(url_for(endpoint, **values))


@bp.post("/notifications/<int:notification_id>/read")
@access(USER)
def mark_read(notification_id: int):
    services.mark_read(current_user.id, notification_id)
    return redirect(url_for("notifications.index", page=query_int("page", 1, maximum=9_999)))


@bp.post("/notifications/read")
@access(USER)
def mark_all_read():
    count = services.mark_read(current_user.id)
    flash("All your notifications are marked as read." if count else "You had nothing unread.", "success")
    return redirect(url_for("notifications.index"))


def _facilitated_cohorts() -> list:
    """The cohorts this person facilitates now, with whether they follow all of each: (cohort, following)."""
    from portal.cohorts.models import Cohort
    from portal.notifications.models import CohortFollow

    follows = exists().where(CohortFollow.user_id == current_user.id, CohortFollow.cohort_id == Cohort.id)
    return db.session.execute(select(Cohort, follows).join(Membership, Membership.cohort_id == Cohort.id).where(
        Membership.user_id == current_user.id, Membership.role == "facilitator", Membership.status == "active")
        .order_by(Cohort.name)).all()


@bp.route("/notifications/settings", methods=["GET", "POST"])
@access(USER)
def settings():
    """Per kind: at once, daily, weekly or off; and whether emails may carry members' words."""
    cohorts = _facilitated_cohorts()
    facilitating = bool(cohorts)
    kinds = kinds_for(facilitating)
    modes, include_words = services.load_preferences(current_user.id, facilitating)
    errors = []
    if request.method == "POST":
        chosen = {k.name: request.form.get(f"mode-{k.name}", modes[k.name]) for k in kinds if not k.safety}
        try:
            services.save_preferences(current_user.id, chosen, request.form.get("include_words") == "yes")
        except InvalidInput as e:
            errors.append(e.message)
        else:
            flash("Your notification settings are saved.", "success")
            return redirect(url_for("notifications.settings"))
        modes.update({k: v for k, v in chosen.items() if v in MODE_LABELS})
    return render_template("notifications/settings.html", kinds=kinds, modes=modes, labels=MODE_LABELS,
                           include_words=include_words, errors=errors, cohorts=cohorts), 422 if errors else 200


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@access(PUBLIC)
@csrf.exempt  # RFC 8058: mail providers POST "List-Unsubscribe=One-Click" with no session and no token
@limiter.limit("60 per minute")
def unsubscribe(token: str):
    """GET asks (link scanners open links: they must not unsubscribe anyone); POST does it, once."""
    if request.method == "GET":
        from portal.notifications.tokens import LinkProblem, read_token

        try:
            _uid, kind, _nonce = read_token(token)
        except LinkProblem as e:
            return render_template("notifications/unsubscribed.html", outcome=e.why), 410 if e.why == "expired" else 400
        label = f"the {kind.partition(':')[2]} summary" if kind.startswith("digest:") else (
            KINDS[kind].label.lower() if kind in KINDS else "")
        return render_template("notifications/unsubscribe.html", token=token, label=label)
    done = services.unsubscribe(token)
    status = {"done": 200, "used": 200, "expired": 410, "invalid": 400}[done.outcome]
    return render_template("notifications/unsubscribed.html", outcome=done.outcome, label=done.label), status


# ---- in a cohort ----------------------------------------------------------------------------------------

@bp.post("/cohorts/<int:cohort_id>/threads/<int:thread_id>/follow")
@access(MEMBER, when_read_only=True)
def follow(thread_id: int):
    """Follow or unfollow a thread this person may see (anything else: 404)."""
    thread = db.session.scalars(select(Thread).where(Thread.id == thread_id, Thread.cohort_id == g.cohort.id)).first()
    viewer = viewer_for(current_user, g.cohort, is_facilitator_here())
    if thread is None or not can_view_thread(viewer, thread):
        abort(404)
    following = request.form.get("following") == "yes"
    services.set_following(current_user.id, thread.id, following)
    flash("You're following this thread: you'll hear about new replies." if following
          else "You've stopped following this thread.", "success")
    return redirect(url_for("discussions.thread", thread_id=thread.id))


@bp.post("/cohorts/<int:cohort_id>/follow")
@access(FACILITATOR, when_read_only=True)
def follow_cohort():
    """A facilitator follows every thread of the cohort (or stops)."""
    following = request.form.get("following") == "yes"
    services.set_cohort_following(current_user.id, g.cohort.id, following)
    flash("You'll hear about every new post in this cohort." if following
          else "You no longer follow every thread of this cohort.", "success")
    return redirect(url_for("notifications.settings"))


@bp.get("/cohorts/<int:cohort_id>/members/lookup")
@access(MEMBER)
def members_lookup():
    """Names of this cohort's current members starting with ?q=, for @mentions (this cohort only)."""
    prefix = (request.args.get("q") or "")[:80]
    rows = db.session.execute(select(Membership.user_id, User.display_name).join(User, User.id == Membership.user_id)
                              .where(Membership.cohort_id == g.cohort.id, Membership.status == "active",
                                     User.active.is_(True)))
    names = mentions.lookup({uid: name for uid, name in rows if uid != current_user.id}, prefix)
    return jsonify({"names": names})


