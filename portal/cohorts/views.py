"""Pages for members of a cohort: home, timetable, sessions, members, leaving."""
from __future__ import annotations

from functools import cache

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import bindparam, select

from portal.announcements.queries import undismissed
from portal.cohorts import services
from portal.cohorts.models import Membership
from portal.cohorts.scope import select_home
from portal.cohorts.timetable import load_timetable, load_timetables, next_slot, opened_since
from portal.auth.models import User
from portal.discussions.joined import unread_in_joined_threads
from portal.discussions.visibility import Viewer
from portal.exercises.queries import responses_due
from portal.exercises.waiting import Waiting, feedback_waiting
from portal.extensions import db
from portal.permissions import MEMBER, PUBLIC, USER, access, is_facilitator_here

bp = Blueprint("cohorts", __name__)


@bp.get("/")
@access(PUBLIC)
def index():
    """The front door: home when signed in, otherwise the sign-in page."""
    return redirect(url_for("cohorts.home" if current_user.is_authenticated else "auth.login"))


@bp.get("/home")
@access(USER)
def home():
    """My cohorts, each with its next session and what opened since my last visit."""
    rows = db.session.execute(select_home(current_user.id)).all()
    ended = [c for m, c, _ in rows if not m.is_current]  # removed: said kindly, nothing of the cohort shown
    rows = [(m, c, accepted) for m, c, accepted in rows if m.is_current]
    timetables = load_timetables([cohort.id for _, cohort, _ in rows])
    replies = unread_in_joined_threads([_viewer(m, timetables[c.id]) for m, c, _ in rows])
    # Time and place only once they have accepted the group agreement, as for every cohort page.
    cards = [{"membership": m, "cohort": c, "accepted": accepted,
              "next": next_slot(timetables[c.id]) if accepted else None,
              "new": opened_since(timetables[c.id], m.last_seen_at) if accepted else [],
              "replies": replies[c.id]}
             for m, c, accepted in rows]
    return render_template("cohorts/home.html", cards=cards, ended=ended)


def _viewer(membership: Membership, slots) -> Viewer:
    """Who is looking, for the discussions' visibility rule, from the timetable already loaded."""
    sees_everything = membership.is_facilitator
    return Viewer(membership.user_id, membership.cohort_id, sees_everything,
                  frozenset(s.session.id for s in slots if s.is_open or sees_everything))


@cache
def _new_members_statement():
    """Built once (it runs on every visit to a cohort home): who joined since the last visit, by name."""
    return (select(User.id, User.display_name).join(Membership, Membership.user_id == User.id)
            .where(Membership.cohort_id == bindparam("cohort_id"), Membership.status == "active",
                   Membership.created_at > bindparam("since"), User.id != bindparam("user_id"))
            .order_by(User.display_name))


@bp.get("/cohorts/<int:cohort_id>/")
@access(MEMBER, site_admin_manages=True)
def show():
    """The cohort's home: next session, timetable and what is new since the last visit."""
    slots = load_timetable(g.cohort.id)
    since = services.mark_seen(g.membership) if g.membership is not None else None
    new_members = []
    if since is not None:
        new_members = db.session.execute(_new_members_statement(), {
            "cohort_id": g.cohort.id, "since": since, "user_id": current_user.id}).all()
    replies = unread_in_joined_threads([_viewer(g.membership, slots)])[g.cohort.id] if g.membership else []
    # Announcements are for the cohort's members (a site admin managing it reads the list if they open it).
    announcements = undismissed(g.cohort.id, current_user.id) if g.membership is not None else []
    return render_template("cohorts/show.html", slots=slots, next=next_slot(slots), replies=replies,
                           announcements=announcements,
                           new_sessions=opened_since(slots, since), new_members=new_members, since=since,
                           due=_responses_due([s for s in slots if s.is_open]),
                           feedback=_feedback_waiting([s for s in slots if s.is_open]))


def _responses_due(open_slots) -> list:
    """Exercises in these sessions still waiting for this learner's response (learners only)."""
    if g.membership is None or g.membership.role != "learner":
        return []
    return responses_due(current_user.id, g.cohort.id, open_slots)


def _feedback_waiting(open_slots) -> Waiting:
    """Reviews allocated to this learner and feedback they haven't read yet, in these sessions."""
    if g.membership is None or g.membership.role != "learner":
        return Waiting()
    return feedback_waiting(current_user.id, g.cohort.id, [s.session.id for s in open_slots])


@bp.get("/cohorts/<int:cohort_id>/sessions/<int:number>")
@access(MEMBER)
def session_page(number: int):
    """A session's page: open to learners from its date (or early release); facilitators always."""
    slot = next((s for s in load_timetable(g.cohort.id) if s.number == number), None)
    if slot is None or not (slot.is_open or is_facilitator_here()):
        abort(404)
    return render_template("cohorts/session.html", slot=slot, due=_responses_due([slot] if slot.is_open else []),
                           feedback=_feedback_waiting([slot] if slot.is_open else []))


@bp.get("/cohorts/<int:cohort_id>/members")
@access(MEMBER, site_admin_manages=True)
def members():
    """Who is in the cohort. Facilitators also see paused and former members, with actions."""
    rows = db.session.execute(Membership.select_roster(g.cohort.id)).all()
    if not is_facilitator_here():
        rows = [r for r in rows if r[0].status == "active"]
    return render_template("cohorts/members.html", rows=rows, form=FlaskForm())


@bp.route("/cohorts/<int:cohort_id>/leave", methods=["GET", "POST"])
@access(MEMBER, before_agreement=True, when_read_only=True)
def leave():
    """Leave the cohort, after a clear confirmation."""
    if g.membership is None:
        abort(404)
    form = FlaskForm()
    if form.validate_on_submit():
        services.leave_cohort(g.membership)
        flash(f"You have left {g.cohort.name}. Thank you for being part of it.", "success")
        return redirect(url_for("cohorts.home"))
    return render_template("cohorts/leave.html", form=form)
