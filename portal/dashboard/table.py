"""The dashboard table's rows, built here rather than in the template: 30 learners × 11 sessions is 330
cells, and the template's per-cell work cost more than the rest of the page (make bench)."""
from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup, escape

from portal.dashboard.activity import Activity
from portal.words import plural


@lru_cache(maxsize=512)
def _words(attended: int, posted: int, responded: int, feedback: int) -> str:
    """A cell in words, once for each set of figures (many cells share one)."""
    if not (attended or posted or responded or feedback):
        return "–"
    said = "attended; " if attended else ""
    return f"{said}{plural(posted, 'post')}; {plural(responded, 'response')}; {feedback} feedback"


def table_rows(members, session_columns, activity: Activity, member_url: str) -> Markup:
    """`session_columns`: (course session id, number) in order; `member_url` ends where the user id goes."""
    url, html, cell = escape(member_url), [], activity.cells.get
    for m in members:
        name = escape(m.name)
        paused = ' <span class="hint">(paused)</span>' if m.paused else ""
        cells, uid = [], m.user_id
        for sid, number in session_columns:
            c = cell((uid, sid))
            words = _words(c.attended, c.posted, c.responded, c.feedback) if c is not None else "–"
            cells.append(f'<td data-label="Session {number}" data-cell="{uid}-{number}">{words}</td>')
        html.append(f'<tr><th scope="row"><a href="{url}{m.user_id}">{name}</a>{paused}</th>{"".join(cells)}</tr>')
    # Safe: names and the link are escaped above; the rest is numbers and the table's own words.
    return Markup("\n".join(html))  # nosec B704
