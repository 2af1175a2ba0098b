"""Help for people who are struggling, one click from every page."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, render_template
from flask_login import current_user

from portal.permissions import PUBLIC, access
from portal.support.contacts import crisis_contacts, load_crisis_contacts
from portal.support.services import facilitators_for

bp = Blueprint("support", __name__)


@bp.get("/need-help-now")
@access(PUBLIC)
def need_help_now():
    """Crisis contacts, open to everyone, signed in or not; members also see who their facilitators are."""
    return render_template("support/need_help_now.html", facilitators=facilitators_for(current_user))


def init_app(app: Flask) -> None:
    # A deployment with a missing or broken crisis contacts file should find out now, not from someone in crisis.
    load_crisis_contacts(Path(app.config["CONTENT_DIR"]))
    app.jinja_env.globals["crisis_contacts"] = crisis_contacts
    app.register_blueprint(bp)
