"""Site admins' view of mail that could not be sent or is waiting too long, with "try again"."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from portal.errors import RuleViolation
from portal.mailqueue import services
from portal.numbers import query_int
from portal.permissions import SITE_ADMIN, access

bp = Blueprint("mail_admin", __name__, url_prefix="/admin/mail")
MAX_PAGE = 10_000


class RetryForm(FlaskForm):
    """Only the CSRF token: the message is named by the URL."""


@bp.get("")
@access(SITE_ADMIN)
def index():
    page = query_int("page", 1, maximum=MAX_PAGE)
    mail, has_more = services.troubled_mail(page)
    return render_template("admin/mail.html", mail=mail, page=page, has_more=has_more, form=RetryForm())


@bp.post("/<int:id>/retry")
@access(SITE_ADMIN)
def retry(id: int):
    form = RetryForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.retry_mail(current_user, id)
    except RuleViolation as e:
        flash(e.message, "info")
    else:
        flash("We'll try sending that message again now.", "success")
    return redirect(url_for("mail_admin.index"))
