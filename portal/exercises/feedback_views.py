"""Giving feedback on a response, and a facilitator allocating reviewers."""
from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask_login import current_user

from sqlalchemy import select

from portal.errors import DomainError
from portal.exercises import after_feedback, facilitation, feedback, feedback_page, practice, queries
from portal.exercises.feedback_models import LANDED_QUESTIONS, Feedback
from portal.exercises.forms import FeedbackForm, TakeForwardForm
from portal.exercises.views import INVALID, _exercise_or_404, _limit, _open_slots, _submitted_own, bp, render_response
from portal.exercises.visibility import can_view_response
from portal.extensions import db, limiter, user_key
from portal.keep.rescue import keeps
from portal.numbers import parse_id
from portal.permissions import FACILITATOR, MEMBER, access

KEPT_FEEDBACK = {"body": "What worked well", "to_consider": "Something to consider"}
PRACTISE_FIRST = ("Before you give your first feedback on this exercise, please practise on the example: it takes "
                  "a few minutes. Your words are kept below, and you can save them as a draft.")


@bp.route("/responses/<int:response_id>/feedback", methods=["GET", "POST"])
@access(MEMBER)
@keeps(KEPT_FEEDBACK, ("client_token",))
@limiter.limit(_limit, methods=["POST"], key_func=user_key)
def give_feedback(response_id: int):
    """Save feedback as a draft, or give it. GET shows the response page with the form (and kept words)."""
    if request.method == "GET":
        return render_response(response_id)
    _slots, viewer = _open_slots()
    found = queries.find_response(g.cohort.id, response_id)
    if found is None:
        abort(404)
    item, exercise, mode, _name = found
    allocated = feedback.is_allocated(current_user.id, item.id)
    own_submitted = item.author_id == current_user.id or _submitted_own(exercise.id)
    if not can_view_response(viewer, item, exercise, mode, own_submitted, allocated):
        abort(404)
    form = FeedbackForm()
    ratings = {k.removeprefix("rating-"): v for k, v in request.form.items() if k.startswith("rating-")}
    if form.validate_on_submit():
        refusal = feedback.refusal(item, mode, reviewer_id=current_user.id, facilitating=viewer.sees_everything,
                                   own_submitted=own_submitted, allocated=allocated)
        give = request.form.get("intent") == "give"
        try:
            if refusal is not None:
                raise feedback.AlreadyGiven(refusal)
            if give and practice.must_practise(current_user.id, g.cohort.id, exercise,
                                               facilitating=viewer.sees_everything):
                raise feedback.AlreadyGiven(PRACTISE_FIRST)  # a form opened before the example was added
            saved = feedback.save_feedback(current_user.id, item, exercise, form.body.data, ratings,
                                           form.to_consider.data, give=give, client_token=form.client_token.data)
        except DomainError as e:
            form.body.errors.append(e.message)
            return render_response(response_id, form, ratings, e.status)
        flash(("Thank you: your feedback is saved and waiting for a facilitator." if saved.is_held else
               "Thank you: your feedback has been given.") if give else
              "Your feedback is saved as a draft. Only you can see it.", "success")
        return redirect(url_for("exercises.response", response_id=item.id))
    return render_response(response_id, form, ratings, INVALID)


@bp.post("/exercises/<int:exercise_id>/allocate")
@access(FACILITATOR)
@limiter.limit(_limit, key_func=user_key)
def allocate_reviewers(exercise_id: int):
    """Allocate (or re-balance) reviewers for an exercise in allocated mode."""
    exercise, mode, _slot, _viewer = _exercise_or_404(exercise_id)
    if mode != "allocated":
        flash("This exercise isn't in allocated mode, so there are no reviewers to allocate.", "warning")
    else:
        result = feedback.allocate_reviewers(g.cohort.id, exercise)
        short = len(result.shortfall)
        flash(f"Reviewers are allocated: {len(result.pairs)} reviews in all."
              + (f" {short} response{'s' if short != 1 else ''} {'have' if short != 1 else 'has'} fewer reviewers"
                 " than asked for: not enough others who can give feedback have responded yet." if short else ""), "success")
    return redirect(url_for("exercises.show", exercise_id=exercise_id))



@bp.post("/responses/<int:response_id>/release-feedback")
@access(FACILITATOR)
def release_response_feedback(response_id: int):
    """"Give before you get": let this author read their feedback now."""
    _slots, viewer = _open_slots()
    found = queries.find_response(g.cohort.id, response_id)
    if found is None or not can_view_response(viewer, found[0], found[1], found[2], True):
        abort(404)
    feedback.release_response_feedback(found[0])
    flash(f"{found[3]} can now read the feedback on their response.", "success")
    return redirect(url_for("exercises.response", response_id=response_id))


@bp.post("/exercises/<int:exercise_id>/release-feedback")
@access(FACILITATOR)
def release_exercise_feedback(exercise_id: int):
    """"Give before you get": let every author read their feedback on this exercise now."""
    exercise, _mode, _slot, _viewer = _exercise_or_404(exercise_id)
    feedback.release_exercise_feedback(g.cohort.id, exercise)
    flash("Everyone can now read the feedback on their response to this exercise.", "success")
    return redirect(url_for("exercises.show", exercise_id=exercise_id))


@bp.post("/feedback/<int:feedback_id>/landed")
@access(MEMBER)
@limiter.limit(_limit, key_func=user_key)
def feedback_landed(feedback_id: int):
    """The author tells the reviewer how their feedback landed (seen by that reviewer and facilitators)."""
    item = db.session.scalars(select(Feedback).where(Feedback.id == feedback_id,
                                                     Feedback.cohort_id == g.cohort.id)).first()
    found = queries.find_response(g.cohort.id, item.response_id) if item is not None else None
    if found is None or found[0].author_id != current_user.id:
        abort(404)
    response, exercise, mode, _name = found
    _slots, viewer = _open_slots()
    withheld, _released = feedback_page.give_first(current_user.id, response, exercise, mode)
    if withheld is not None or not can_view_response(viewer, response, exercise, mode, True):
        abort(404)
    answers = {key: request.form.get(key, "") for key, _q in LANDED_QUESTIONS}
    try:
        after_feedback.tell_how_it_landed(current_user.id, response, item, answers)
    except DomainError as e:
        flash(e.message, "warning")
        return render_response(response.id, status=e.status)
    flash("Thank you: the person who gave this feedback will see how it landed.", "success")
    return redirect(url_for("exercises.response", response_id=response.id) + "#feedback")


@bp.route("/responses/<int:response_id>/take-forward", methods=["GET", "POST"])
@access(MEMBER)
@keeps({"take_forward": "What I will take forward"})
@limiter.limit(_limit, methods=["POST"], key_func=user_key)
def take_forward(response_id: int):
    """The author's note of what they will take forward (private to them and the facilitators)."""
    if request.method == "GET":
        return render_response(response_id)
    found = queries.find_response(g.cohort.id, response_id)
    if found is None or found[0].author_id != current_user.id or not found[0].is_submitted:
        abort(404)
    form = TakeForwardForm()
    if not form.validate_on_submit():
        return render_response(response_id, take_forward_form=form, status=INVALID)
    try:
        after_feedback.save_take_forward(current_user.id, found[0], form.take_forward.data)
    except DomainError as e:
        form.take_forward.errors.append(e.message)
        return render_response(response_id, take_forward_form=form, status=e.status)
    flash("Your note is saved. Only you and your facilitators can see it.", "success")
    return redirect(url_for("exercises.response", response_id=response_id) + "#take-forward")


@bp.post("/feedback/<int:feedback_id>/hide")
@access(FACILITATOR)
def hide_feedback(feedback_id: int):
    """Hide feedback that breaches the group agreement (the reviewer sees why), or show it again."""
    item = db.session.scalars(select(Feedback).where(Feedback.id == feedback_id,
                                                     Feedback.cohort_id == g.cohort.id)).first()
    if item is None:
        abort(404)
    try:
        if request.form.get("action") == "show":
            facilitation.show_feedback_again(current_user, item)
            flash("The feedback is shown to the author again.", "success")
        else:
            facilitation.hide_feedback(current_user, item, request.form.get("reason"))
            flash("The feedback is hidden from the author. The person who gave it sees your reason.", "success")
    except DomainError as e:
        flash(e.message, "warning")
        return render_response(item.response_id, status=e.status)
    return redirect(url_for("exercises.response", response_id=item.response_id) + "#feedback")



@bp.post("/exercises/<int:exercise_id>/allocations")
@access(FACILITATOR)
def change_allocation(exercise_id: int):
    """Add a reviewer to a response by hand, or take an unstarted allocation away. A refusal is answered by
    the error page with its message and 4xx status (404 for ids that aren't this exercise's)."""
    exercise, _mode, _slot, _viewer = _exercise_or_404(exercise_id)
    if request.form.get("action") == "remove":
        facilitation.remove_allocation(g.cohort.id, exercise, parse_id(request.form.get("allocation")))
        flash("The allocation is removed.", "success")
    else:
        facilitation.add_allocation(g.cohort.id, exercise, parse_id(request.form.get("reviewer")),
                                    parse_id(request.form.get("response")))
        flash("The reviewer is added. Automatic allocation will keep this pair.", "success")
    return redirect(url_for("exercises.show", exercise_id=exercise_id) + "#allocations")
