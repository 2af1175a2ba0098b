"""The facilitators' members × exercises overview of a cohort."""
from __future__ import annotations

from flask import g, render_template, url_for
from markupsafe import Markup, escape

from portal.cohorts.timetable import load_timetable
from portal.exercises import overview
from portal.exercises.views import bp
from portal.permissions import FACILITATOR, access


@bp.get("/exercises/overview")
@access(FACILITATOR)
def members_overview():
    """Each learner × each exercise of the cohort, in words: responded, feedback given and received, overdue."""
    found = overview.load_overview(g.cohort.id, load_timetable(g.cohort.id))
    # One url_for for the page's many links to responses (each cost more than its cell).
    response_url = url_for("exercises.response", response_id=0).removesuffix("0")
    return render_template("exercises/overview.html", overview=found,
                           cells={row.user_id: _cells(row, response_url) for row in found.rows})


def _cells(row: overview.Row, response_url: str) -> Markup:
    """A row's cells as HTML, built here rather than in the template: a cohort of 20 has hundreds of cells,
    and the template's per-cell work cost more than the rest of the page (make bench). Names and titles
    are escaped once each; the words (overview.py) are the overview's own, with numbers only."""
    name, url, labels = escape(row.name), escape(response_url), {}
    html = []
    for col, cell in row.cells:
        label = labels.get(col.id) or labels.setdefault(col.id, escape(col.title))
        if cell.opens_with:
            html.append(f'<td data-label="{label}"><span class="hint">Opens with session {cell.opens_with}</span></td>')
            continue
        response = (f'<a href="{url}{cell.response_id}">shared<span class="visually-hidden"> by {name} for {label}'
                    f'</span></a>' if cell.response_id else cell.response)
        lines = "".join(f"<li>{line}</li>" for line in cell.lines)  # the overview's own words and numbers
        lines += "".join(f"<li><strong>{line}</strong></li>" for line in cell.overdue)
        html.append(f'<td data-label="{label}"><ul class="cell-list"><li>Response: {response}</li>{lines}</ul></td>')
    # Safe: names, titles and the link are escaped above; the rest is the overview's own words and numbers.
    return Markup("\n".join(html))  # nosec B704
