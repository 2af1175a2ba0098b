"""Help for people who are struggling, one click from every page."""
from __future__ import annotations

from flask import Blueprint, Flask, render_template

from portal.permissions import PUBLIC, access

bp = Blueprint("support", __name__)


@bp.get("/need-help-now")
@access(PUBLIC)
def need_help_now():
    """Crisis contacts, open to everyone, signed in or not."""
    return render_template("support/need_help_now.html")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
