"""The practice page: rate an exercise's example before one's first feedback, then compare with the reference."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from portal.discussions import services as discussions
from portal.errors import DomainError
from portal.exercises import feedback, practice
from portal.exercises.feedback_views import KEPT_FEEDBACK
from portal.exercises.forms import FeedbackForm
from portal.exercises.views import INVALID, _exercise_or_404, _limit, _submitted_own, bp
from portal.extensions import limiter, user_key
from portal.keep.rescue import keeps, take_kept
from portal.numbers import parse_id
from portal.permissions import MEMBER, access, can_write_here


@bp.route("/exercises/<int:exercise_id>/example", methods=["GET", "POST"])
@access(MEMBER)
@keeps(KEPT_FEEDBACK)
@limiter.limit(_limit, methods=["POST"], key_func=user_key)
def practise(exercise_id: int):
    """Learners: the example and the feedback form, once; then their ratings beside the reference's.
    Facilitators: the example with its reference feedback (they are never asked to practise)."""
    exercise, mode, slot, viewer = _exercise_or_404(exercise_id)
    facilitating = viewer.sees_everything
    if not exercise.has_example or (facilitating and request.method == "POST"):
        abort(404)
    response_id = parse_id(request.args.get("response"))
    if not practice.is_response_of(g.cohort.id, exercise.id, response_id):
        response_id = None  # a forged or foreign id: carry on to the exercise instead
    done = None if facilitating else practice.own_practice(current_user.id, g.cohort.id, exercise.id)
    refusal = None if facilitating or done else feedback.mode_refusal(
        mode, facilitating=False, own_submitted=_submitted_own(exercise.id),
        allocated=practice.allocated_any(current_user.id, g.cohort.id, exercise.id), exercise_wide=True)
    form, ratings, status = None, {}, 200
    if not facilitating and done is None:
        form = FeedbackForm(formdata=None) if request.method == "GET" else FeedbackForm()
        if request.method == "GET":
            _fill(form, exercise.id)
        else:
            ratings = {k.removeprefix("rating-"): v for k, v in request.form.items() if k.startswith("rating-")}
            status = INVALID
            if form.validate_on_submit():
                try:
                    if refusal is not None:
                        raise feedback.AlreadyGiven(refusal)
                    practice.save_practice(current_user.id, g.cohort.id, exercise, form.body.data, ratings,
                                           form.to_consider.data)
                except DomainError as e:
                    form.body.errors.append(e.message)
                    status = e.status
                else:
                    flash("Thank you for practising. Here is your feedback beside the reference.", "success")
                    return redirect(url_for("exercises.practise", exercise_id=exercise.id, response=response_id))
    elif request.method == "POST":  # sent again after practising (a double click): the first one counted
        return redirect(url_for("exercises.practise", exercise_id=exercise.id, response=response_id))
    # The feedback form's own address: words kept there after a lost session come back on it.
    continue_url = (url_for("exercises.give_feedback", response_id=response_id) if response_id
                    else url_for("exercises.show", exercise_id=exercise.id))
    return render_template(
        "exercises/practice.html", exercise=exercise, slot=slot, facilitating=facilitating, form=form,
        ratings=ratings, refusal=refusal, done=done, writable=can_write_here(), response_id=response_id,
        draft_key=practice.draft_key(exercise.id),
        compared=practice.compare(exercise, done) if done else None, continue_url=continue_url,
        reference=exercise.example_feedback), status


def _fill(form: FeedbackForm, exercise_id: int) -> None:
    """The practice form as it was left: the autosaved words, then words kept after a lost session."""
    draft = discussions.get_draft(current_user.id, g.cohort.id, practice.draft_key(exercise_id))
    if draft is not None and draft.body:
        form.body.data = draft.body
    take_kept(form)
