"""Exercise pages inside a cohort: the list per open session, an exercise with its composer, the private
self-check step, a response, and reopening one."""
from __future__ import annotations

import secrets

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from portal.cohorts.timetable import Slot, load_timetable
from portal.discussions import services as discussions
from portal.discussions.visibility import Viewer
from portal.errors import DomainError
from portal.exercises import facilitation, feedback, feedback_page, practice, queries, responses, waiting
from portal.exercises.feedback_models import LANDED_QUESTIONS
from portal.exercises.forms import FeedbackForm, ResponseForm, SelfCheckForm, TakeForwardForm
from portal.exercises.models import DEFAULT_REVIEWERS
from portal.exercises.visibility import can_view_response, waiting_to_submit
from portal.extensions import limiter, user_key
from portal.keep.rescue import keeps, take_kept
from portal.markdown import render_markdown
from portal.permissions import FACILITATOR, MEMBER, access, can_write_here, is_facilitator_here

bp = Blueprint("exercises", __name__, url_prefix="/cohorts/<int:cohort_id>")
INVALID = 422
KEPT_TEXT = {"body": "Your response", "warning_other": "Your content warning"}
KEPT_SELF_CHECK = {f"answers-{n}": f"Your answer to question {n + 1}" for n in range(3)}


def _limit() -> str:
    from flask import current_app
    return current_app.config["RATELIMIT_POST"]


def _open_slots() -> tuple[list[Slot], Viewer]:
    """The sessions open to this person (facilitators: all), and who is looking, from one timetable read."""
    facilitating = is_facilitator_here()
    slots = [s for s in load_timetable(g.cohort.id) if s.is_open or facilitating]
    viewer = Viewer(current_user.id, g.cohort.id, facilitating, frozenset(s.session.id for s in slots))
    return slots, viewer


def _is_learner() -> bool:
    return g.membership is not None and g.membership.role == "learner"


def _exercise_or_404(exercise_id: int):
    """The exercise, its effective mode, its session's slot and the viewer; 404 before its session opens."""
    slots, viewer = _open_slots()
    found = queries.find_exercise(g.cohort.id, g.cohort.course_id, exercise_id)
    slot = next((s for s in slots if found and s.session.id == found[0].course_session_id), None)
    if found is None or slot is None:
        abort(404)
    return found[0], found[1], slot, viewer


@bp.get("/exercises")
@access(MEMBER)
def index():
    """The cohort's exercises, session by session, for every open session."""
    slots, _viewer = _open_slots()
    rows = queries.exercise_rows(current_user.id, g.cohort.id, slots)
    return render_template("exercises/index.html", rows=rows, learner=_is_learner())


@bp.route("/exercises/<int:exercise_id>", methods=["GET", "POST"])
@access(MEMBER)
@keeps(KEPT_TEXT, ("warning_choice", "version"))
@limiter.limit(_limit, methods=["POST"], key_func=user_key)
def show(exercise_id: int):
    """An exercise: prompt, guidance, criteria in words, due dates, my response and (when allowed) others'."""
    exercise, mode, slot, viewer = _exercise_or_404(exercise_id)
    dues = responses.due_dates(exercise, slot.entry.day)
    own = queries.own_responses(current_user.id, g.cohort.id).get(exercise.id) if _is_learner() else None
    if request.method == "POST" and not _is_learner():
        abort(404)  # facilitators and site admins don't write responses
    form = ResponseForm()
    preview = None
    if request.method == "GET" and _is_learner():
        _fill(form, exercise, own)
    elif form.validate_on_submit():
        if request.form.get("action") == "preview":
            preview = render_markdown(form.body.data)
        else:
            intent = request.form.get("intent", "draft")
            submit = intent == "submit" and not (exercise.self_check and (own is None or not own.is_submitted))
            try:
                saved = responses.save_response(current_user.id, g.cohort.id, exercise, form.body.data,
                                                form.content_warning, form.version.data or "", submit=submit,
                                                due=dues.responses)
            except DomainError as e:
                form.body.errors.append(e.message)
            else:
                if intent == "submit" and not saved.is_submitted:  # shared only after the private questions
                    return redirect(url_for("exercises.self_check", exercise_id=exercise.id))
                flash(("Your response is saved and waiting for a facilitator." if saved.is_held else
                       "Your response has been shared with your cohort.") if submit else "Your draft is saved. "
                      "Only you can see it.", "success")
                return redirect(url_for("exercises.show", exercise_id=exercise.id))
    own_submitted = own is not None and own.is_submitted
    others = queries.visible_responses(viewer, exercise.id)
    lock = responses.lock_reason(own, dues.responses) if own is not None else None
    allocations = choices = unreviewed = None
    if viewer.sees_everything and mode == "allocated":  # the facilitator's allocation by hand
        allocations, choices = (facilitation.allocation_rows(g.cohort.id, exercise.id),
                                facilitation.allocation_choices(g.cohort.id, exercise.id))
        unreviewed = facilitation.waiting_for_reviewers(allocations, choices, exercise.reviewers_per_response
                                                        or DEFAULT_REVIEWERS)
    practised = (exercise.has_example and _is_learner()
                 and practice.own_practice(current_user.id, g.cohort.id, exercise.id) is not None)
    return render_template(
        "exercises/show.html", exercise=exercise, mode=mode, slot=slot, dues=dues, own=own, form=form,
        practised=practised,
        preview=preview, others=others, lock=lock, learner=_is_learner(), writable=can_write_here(),
        waiting=waiting_to_submit(viewer, mode, own_submitted), overdue=responses.is_overdue(dues.responses),
        draft_key=responses.draft_key(exercise.id), allocations=allocations, choices=choices,
        unreviewed=unreviewed), \
        INVALID if form.errors else 200


def _fill(form: ResponseForm, exercise, own) -> None:
    """The composer as it was left: the saved response, then a newer autosaved draft, then kept words."""
    form.version.data = responses.version_token(own)
    if own is not None:
        form.body.data = own.body_source
        form.fill_warning(own.content_warning)
    draft = discussions.get_draft(current_user.id, g.cohort.id, responses.draft_key(exercise.id))
    if draft is not None and draft.token == form.version.data and draft.body:
        form.body.data = draft.body
        form.fill_warning(draft.content_warning)
    take_kept(form)


@bp.route("/exercises/<int:exercise_id>/self-check", methods=["GET", "POST"])
@access(MEMBER)
@keeps(KEPT_SELF_CHECK, ("version",))
@limiter.limit(_limit, methods=["POST"], key_func=user_key)
def self_check(exercise_id: int):
    """Before sharing: the learner's private answers to the exercise's questions. Nobody else sees them."""
    exercise, mode, slot, _viewer = _exercise_or_404(exercise_id)
    if not exercise.self_check or not _is_learner():
        abort(404)
    own = queries.own_responses(current_user.id, g.cohort.id).get(exercise.id)
    if own is None or own.is_submitted:
        return redirect(url_for("exercises.show", exercise_id=exercise.id))
    form = SelfCheckForm()
    form.ask(exercise.self_check_questions)
    status = 200
    if request.method == "GET":
        form.version.data = responses.version_token(own)
        take_kept(form)
    elif form.validate_on_submit():
        try:
            responses.submit_with_self_check(current_user.id, g.cohort.id, exercise,
                                             [entry.data or "" for entry in form.answers], form.version.data or "")
        except DomainError as e:
            flash(e.message, "warning")
            status = e.status
        else:
            flash("Your response has been shared with your cohort. Your answers to the questions stay private.",
                  "success")
            return redirect(url_for("exercises.show", exercise_id=exercise.id))
    return render_template("exercises/self_check.html", exercise=exercise, slot=slot, own=own, form=form,
                           writable=can_write_here()), INVALID if form.errors else status


@bp.get("/responses/<int:response_id>")
@access(MEMBER)
def response(response_id: int):
    """One response, with its feedback as this person may read it, and the feedback form when they may give it."""
    return render_response(response_id)


def render_response(response_id: int, form=None, ratings: dict | None = None, status: int = 200,
                    take_forward_form=None):
    """The response page (also after a refused feedback form: `form` holds what was typed)."""
    slots, viewer = _open_slots()
    found = queries.find_response(g.cohort.id, response_id)
    if found is None:
        abort(404)
    item, exercise, mode, author_name = found
    allocations = feedback_page.allocations_of(item.id)
    own_submitted = item.author_id == current_user.id or _submitted_own(exercise.id)
    allocated = any(r == current_user.id for r, _name in allocations)
    if not can_view_response(viewer, item, exercise, mode, own_submitted, allocated):
        abort(404)
    slot = next(s for s in slots if s.session.id == exercise.course_session_id)
    mine = item.author_id == current_user.id
    history = queries.revisions_of(item.id) if mine or viewer.sees_everything else []
    panel = feedback_page.build_panel(current_user.id, viewer.sees_everything, item, exercise, allocations, mode)
    refusal = feedback.refusal(item, mode, reviewer_id=current_user.id, facilitating=viewer.sees_everything,
                               own_submitted=own_submitted, allocated=allocated)
    practise_first = (refusal is None and not (panel.own and panel.own.is_given) and can_write_here()
                      and practice.must_practise(current_user.id, g.cohort.id, exercise,
                                                 facilitating=viewer.sees_everything))
    if practise_first and form is None:  # before their first feedback here: the example first
        return redirect(url_for("exercises.practise", exercise_id=exercise.id, response=item.id))
    if form is None and refusal is None and not (panel.own and panel.own.is_given):
        form, ratings = _fill_feedback(item.id, panel.own)
    # Read on a plain visit (a page answering a refused form changes nothing).
    newest = max((s.feedback.given_at for s in panel.shown), default=None) if mine and status == 200 else None
    if newest is not None and (item.feedback_read_at is None or item.feedback_read_at < newest):
        waiting.mark_feedback_read(item, newest)  # read now: no longer "waiting" on the cohort home
    if mine and take_forward_form is None and item.is_submitted:
        take_forward_form = TakeForwardForm(formdata=None, take_forward=item.take_forward or "")
        take_kept(take_forward_form)
    return render_template("exercises/response.html", item=item, exercise=exercise, slot=slot, mine=mine,
                           author_name=author_name, history=history, mode=mode, panel=panel, refusal=refusal,
                           form=form, ratings=ratings or {}, writable=can_write_here(),
                           take_forward_form=take_forward_form, landed_questions=LANDED_QUESTIONS,
                           facilitating=viewer.sees_everything,
                           draft_key=feedback.draft_key(item.id), practise_first=practise_first,
                           self_check=responses.own_self_check(current_user.id, item) if mine else None,
                           can_reopen=viewer.sees_everything and can_write_here() and item.is_submitted
                           and not item.reopened), status


def _fill_feedback(response_id: int, own):
    """The feedback form as it was left: the saved draft, then newer autosaved words, then kept words."""
    form = FeedbackForm(formdata=None)
    form.client_token.data = secrets.token_urlsafe(16)
    ratings = dict(own.ratings) if own is not None else {}
    if own is not None:
        form.body.data, form.to_consider.data = own.what_worked, own.to_consider or ""
    draft = discussions.get_draft(current_user.id, g.cohort.id, feedback.draft_key(response_id))
    if draft is not None and draft.body and (own is None or draft.updated_at > own.updated_at):
        form.body.data = draft.body
    take_kept(form)
    return form, ratings


def _submitted_own(exercise_id: int) -> bool:
    own = queries.own_responses(current_user.id, g.cohort.id).get(exercise_id)
    return own is not None and own.is_submitted


@bp.post("/responses/<int:response_id>/reopen")
@access(FACILITATOR)
def reopen(response_id: int):
    """Open a submitted response for its author's changes again."""
    _slots, viewer = _open_slots()
    found = queries.find_response(g.cohort.id, response_id)
    if found is None or not can_view_response(viewer, found[0], found[1], found[2], True):
        abort(404)
    try:
        responses.reopen_response(found[0])
    except DomainError as e:
        flash(e.message, "warning")
    else:
        flash(f"{found[3]} can change their response again until they next save it.", "success")
    return redirect(url_for("exercises.response", response_id=response_id))
