"""Site admins edit the safety-word list (/admin/safety-words): check every line, save a version, or go back
to the default list in content/. Nothing typed is lost: a refused list comes back as typed, with each problem."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from portal.keep.rescue import keeps, take_kept
from portal.moderation.phrases import SYNTAX
from portal.permissions import SITE_ADMIN, access
from portal.safeguarding import phrase_lists
from portal.safeguarding.forms import PhraseListForm

bp = Blueprint("safety_words", __name__, url_prefix="/admin")


def _render(form: PhraseListForm, current, status: int = 200):
    return render_template("safeguarding/safety_words.html", form=form, current=current,
                           restore_form=FlaskForm(formdata=None), syntax=SYNTAX), status


@bp.route("/safety-words", methods=["GET", "POST"])
@access(SITE_ADMIN)
@keeps({"phrases": "Safety words and phrases"})
def edit():
    """The list in use, to edit; saving checks every line first."""
    current = phrase_lists.current_list()
    if request.method == "GET":
        form = PhraseListForm(formdata=None, phrases=current.text)
        take_kept(form)
        return _render(form, current)
    form = PhraseListForm()
    if form.validate_on_submit():
        try:
            phrase_lists.save_phrase_list(current_user, form.phrases.data)
        except phrase_lists.InvalidPhraseList as e:
            form.phrases.errors = [*form.phrases.errors, *e.problems]
            return _render(form, current, e.status)
        flash("The safety-word list is saved. New posts, responses and feedback are checked against it now.",
              "success")
        return redirect(url_for("safety_words.edit"))
    return _render(form, current, 422)


@bp.post("/safety-words/restore")
@access(SITE_ADMIN)
def restore():
    """Go back to the default list in content/ (the saved versions stay in the history)."""
    form = FlaskForm()
    if form.validate_on_submit():
        phrase_lists.restore_default(current_user)
        flash("The default safety-word list is in use again.", "success")
    return redirect(url_for("safety_words.edit"))
