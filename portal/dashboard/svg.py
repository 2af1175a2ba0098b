"""The members × sessions grid drawn on the server as one accessible SVG: no charting JavaScript.

Each cell holds up to four marks, each a different shape carrying its letter (A attended, P posted,
R responded, F gave feedback), so nothing rests on colour: it reads printed in black and white and in
high-contrast mode (the stylesheet's `forced-colors` rules). Screen readers get the image's name and
description; the same figures are in the table beside it."""
from __future__ import annotations

from markupsafe import Markup, escape

from portal.dashboard.activity import Activity

LABEL_W, HEAD_H, CELL_W, CELL_H = 190, 34, 58, 46
MARK_W, MARK_H = 25, 19
NAME_MAX = 24  # characters of a name drawn; the table holds the full name
LETTERS = {"attended": "A", "posted": "P", "responded": "R", "feedback": "F"}
PLACES = {"attended": (3, 3), "posted": (30, 3), "responded": (3, 24), "feedback": (30, 24)}
WORDS = {"attended": "attended", "posted": "posted", "responded": "responded to the exercise",
         "feedback": "gave feedback"}


def _shape(kind: str, x: float, y: float) -> str:
    """A different outline per kind: circle, square, rounded box, diamond."""
    if kind == "attended":
        return (f'<ellipse class="mark-shape" cx="{x + MARK_W / 2}" cy="{y + MARK_H / 2}" rx="{MARK_W / 2 - 1}" '
                f'ry="{MARK_H / 2 - 1}"/>')
    if kind == "posted":
        return f'<rect class="mark-shape" x="{x}" y="{y}" width="{MARK_W}" height="{MARK_H}"/>'
    if kind == "responded":
        return f'<rect class="mark-shape" x="{x}" y="{y}" width="{MARK_W}" height="{MARK_H}" rx="7"/>'
    cx, cy = x + MARK_W / 2, y + MARK_H / 2
    return (f'<polygon class="mark-shape" points="{cx},{y} {x + MARK_W},{cy} {cx},{y + MARK_H} {x},{cy}"/>')


def _mark(kind: str, n: int, x: float, y: float) -> str:
    label = LETTERS[kind] if kind == "attended" or n == 1 else f"{LETTERS[kind]}{n}"
    return (f'<g class="mark mark-{kind}" data-kind="{kind}" data-n="{n}">{_shape(kind, x, y)}'
            f'<text x="{x + MARK_W / 2}" y="{y + MARK_H / 2 + 4}" text-anchor="middle">{label}</text></g>')


def _short(name: str) -> str:
    return name if len(name) <= NAME_MAX else name[:NAME_MAX - 1] + "…"


def grid_svg(members, session_columns, activity: Activity, *, title: str, description: str) -> Markup:
    """`members`: objects with user_id and name; `session_columns`: (course session id, number) in order."""
    width = LABEL_W + CELL_W * max(len(session_columns), 1)
    height = HEAD_H + CELL_H * max(len(members), 1)
    out = [f'<svg class="dashboard-grid" role="img" aria-labelledby="grid-title" aria-describedby="grid-desc" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" focusable="false" '
           f'xmlns="http://www.w3.org/2000/svg">',
           f'<title id="grid-title">{escape(title)}</title><desc id="grid-desc">{escape(description)}</desc>']
    for i, (_sid, number) in enumerate(session_columns):
        x = LABEL_W + i * CELL_W + CELL_W / 2
        out.append(f'<text class="grid-head" x="{x}" y="{HEAD_H - 12}" text-anchor="middle">S{number}</text>')
    for row, member in enumerate(members):
        y = HEAD_H + row * CELL_H
        out.append(f'<text class="grid-name" x="4" y="{y + CELL_H / 2 + 5}">{escape(_short(member.name))}</text>')
        for i, (sid, number) in enumerate(session_columns):
            x = LABEL_W + i * CELL_W
            counts = activity.cell(member.user_id, sid)
            marks = "".join(_mark(kind, getattr(counts, kind), x + PLACES[kind][0], y + PLACES[kind][1])
                            for kind in LETTERS if getattr(counts, kind))
            empty = "" if marks else (f'<text class="grid-none" x="{x + CELL_W / 2}" y="{y + CELL_H / 2 + 4}" '
                                      'text-anchor="middle">–</text>')
            out.append(f'<g class="grid-cell" data-member="{member.user_id}" data-session="{number}">'
                       f'<rect class="grid-frame" x="{x}" y="{y}" width="{CELL_W}" height="{CELL_H}"/>'
                       f'{marks}{empty}</g>')
    out.append("</svg>")
    # Safe: names and titles are escaped above; the rest is numbers and the grid's own words.
    return Markup("".join(out))  # nosec B704
