"""The dashboard table's rows, built here rather than in the template: 30 learners × 11 sessions is 330
cells, and the template's per-cell work cost more than the rest of the page (make bench)."""
from __future__ import annotations

from markupsafe import Markup, escape

from portal.dashboard.activity import Activity
from portal.words import plural


def _words(c) -> str:
    if not c.any():
        return "–"
    said = "attended; " if c.attended else ""
    return f"{said}{plural(c.posted, 'post')}; {plural(c.responded, 'response')}; {c.feedback} feedback"


def table_rows(members, session_columns, activity: Activity, member_url: str) -> Markup:
    """`session_columns`: (course session id, number) in order; `member_url` ends where the user id goes."""
    url, html = escape(member_url), []
    for m in members:
        name = escape(m.name)
        paused = ' <span class="hint">(paused)</span>' if m.paused else ""
        cells = []
        for sid, number in session_columns:
            c = activity.cell(m.user_id, sid)
            cells.append(f'<td data-label="Session {number}" data-cell="{m.user_id}-{number}">{_words(c)}</td>')
        html.append(f'<tr><th scope="row"><a href="{url}{m.user_id}">{name}</a>{paused}</th>{"".join(cells)}</tr>')
    # Safe: names and the link are escaped above; the rest is numbers and the table's own words.
    return Markup("\n".join(html))  # nosec B704
