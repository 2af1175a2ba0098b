"""Home: the cohorts a person belongs to."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from portal.cohorts.models import Membership
from portal.extensions import db
from portal.permissions import PUBLIC, USER, access

bp = Blueprint("cohorts", __name__)


@bp.get("/")
@access(PUBLIC)
def index():
    """The front door: home when signed in, otherwise the sign-in page."""
    return redirect(url_for("cohorts.home" if current_user.is_authenticated else "auth.login"))


@bp.get("/home")
@access(USER)
def home():
    """My cohorts."""
    rows = db.session.execute(Membership.select_for_user(current_user.id)).all()
    return render_template("cohorts/home.html", rows=rows)
