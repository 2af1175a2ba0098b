"""Sharing pages: the author shares or stops sharing an entry; the cohort's facilitators read what is
shared now and may reply once to each. A site admin who is not the cohort's facilitator sees none of it."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from portal.discussions.text import InvalidText
from portal.errors import NotFound, RuleViolation
from portal.extensions import limiter, user_key
from portal.journal import sharing
from portal.journal.forms import ReplyForm
from portal.journal.views import INVALID, _entry_or_404, bp
from portal.keep.rescue import keeps, take_kept
from portal.permissions import FACILITATOR, MEMBER, access


def _cohort_facilitator_only() -> None:
    membership = g.get("membership")
    if membership is None or not membership.is_facilitator:
        abort(404)


@bp.route("/<int:entry_id>/share", methods=["GET", "POST"])
@access(MEMBER)
def share(entry_id: int):
    """Share one entry with the cohort's facilitators, after saying what that means."""
    entry = _entry_or_404(entry_id)
    if request.method == "GET":
        return render_template("journal/share.html", entry=entry)
    sharing.share_entry(current_user, g.cohort, entry.id)
    flash("Shared with your facilitators. You can stop sharing at any time.", "success")
    return redirect(url_for("journal.show", entry_id=entry.id))


@bp.post("/<int:entry_id>/revoke")
@access(MEMBER)
def revoke(entry_id: int):
    entry = _entry_or_404(entry_id)
    sharing.revoke_share(current_user, g.cohort, entry.id)
    flash("You've stopped sharing this entry. Only you can read it now.", "success")
    return redirect(url_for("journal.show", entry_id=entry.id))


@bp.get("/shared")
@access(FACILITATOR)
def shared():
    """Journal entries learners have chosen to share with the facilitators, while they share them."""
    _cohort_facilitator_only()
    return render_template("journal/shared.html", rows=sharing.shared_entries(g.cohort.id))


@bp.route("/shared/<int:entry_id>", methods=["GET", "POST"])
@access(FACILITATOR)
@keeps({"body": "Your reply"})
@limiter.limit("30 per minute", methods=["POST"], key_func=user_key)
def shared_entry(entry_id: int):
    """Read a shared entry, and reply once."""
    _cohort_facilitator_only()
    try:
        entry, author = sharing.shared_entry(g.cohort.id, entry_id)
    except NotFound:
        abort(404)
    form = ReplyForm()
    if request.method == "GET":
        take_kept(form)
    elif form.validate_on_submit():
        try:
            sharing.reply_to_entry(current_user, g.cohort, entry.id, form.body.data)
        except NotFound:
            abort(404)
        except (InvalidText, RuleViolation) as e:
            form.body.errors.append(e.message)
        else:
            flash("Your reply is sent. The author will see it with their entry.", "success")
            return redirect(url_for("journal.shared_entry", entry_id=entry.id))
    status = INVALID if form.errors else 200
    return render_template("journal/shared_entry.html", entry=entry, author=author, form=form), status
