"""The audit log page for site administrators: read only, newest first."""
from __future__ import annotations

from flask import Blueprint, render_template

from portal.audit.services import recent_events
from portal.numbers import query_int
from portal.permissions import SITE_ADMIN, access

bp = Blueprint("audit", __name__, url_prefix="/admin")
MAX_PAGE = 10_000


def _page() -> int:
    return query_int("page", 1, maximum=MAX_PAGE)


@bp.get("/audit")
@access(SITE_ADMIN)
def events():
    """What site admins and facilitators have done, newest first, a page at a time."""
    page = _page()
    rows, has_older = recent_events(page)
    return render_template("admin/audit.html", rows=rows, page=page, has_older=has_older)
