"""The members × sessions grid drawn on the server as one accessible SVG: no charting JavaScript.

Each cell holds up to four marks, each a different shape carrying its letter (A attended, P posted,
R responded, F gave feedback), so nothing rests on colour: it reads printed in black and white and in
high-contrast mode (the stylesheet's `forced-colors` rules). Screen readers get the image's name and
description; the same figures are in the table beside it."""
from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup, escape

from portal.dashboard.activity import Activity

LABEL_W, HEAD_H, CELL_W, CELL_H = 190, 34, 58, 46
MARK_W, MARK_H = 25, 19
NAME_MAX = 24  # characters of a name drawn; the table holds the full name
LETTERS = {"attended": "A", "posted": "P", "responded": "R", "feedback": "F"}
PLACES = {"attended": (3, 3), "posted": (30, 3), "responded": (3, 24), "feedback": (30, 24)}
WORDS = {"attended": "attended", "posted": "posted", "responded": "responded to the exercise",
         "feedback": "gave feedback"}


def _defs() -> str:
    """Each kind's outline once (circle, square, rounded box, diamond); every mark is a <use> of one."""
    w, h = MARK_W, MARK_H
    return ("<defs>"
            f'<ellipse id="mark-attended" class="mark-shape mark-attended" cx="{w / 2}" cy="{h / 2}" rx="{w / 2 - 1}" '
            f'ry="{h / 2 - 1}"/>'
            f'<rect id="mark-posted" class="mark-shape mark-posted" width="{w}" height="{h}"/>'
            f'<rect id="mark-responded" class="mark-shape mark-responded" width="{w}" height="{h}" rx="7"/>'
            f'<polygon id="mark-feedback" class="mark-shape mark-feedback" '
            f'points="{w / 2},0 {w},{h / 2} {w / 2},{h} 0,{h / 2}"/>'
            "</defs>")


def _mark(kind: str, n: int, x: int, y: int) -> str:
    label = LETTERS[kind] if kind == "attended" or n == 1 else f"{LETTERS[kind]}{n}"
    return (f'<use href="#mark-{kind}" x="{x}" y="{y}"/>'
            f'<text x="{x + MARK_W // 2}" y="{y + MARK_H // 2 + 4}">{label}</text>')


@lru_cache(maxsize=512)
def _cell(attended: int, posted: int, responded: int, feedback: int) -> str:
    """One cell's marks, placed from the cell's corner: cells with the same figures share one string (a
    cohort's 330 cells hold a few dozen different ones), and each cell moves its group into place."""
    marks = "".join(_mark(kind, n, dx, dy) for kind, n, (dx, dy) in
                    zip(LETTERS, (attended, posted, responded, feedback), PLACES.values(), strict=True) if n)
    return marks or f'<text class="grid-none" x="{CELL_W // 2}" y="{CELL_H // 2 + 4}">–</text>'


def _short(name: str) -> str:
    return name if len(name) <= NAME_MAX else name[:NAME_MAX - 1] + "…"


def grid_svg(members, session_columns, activity: Activity, *, title: str, description: str) -> Markup:
    """`members`: objects with user_id and name; `session_columns`: (course session id, number) in order."""
    width = LABEL_W + CELL_W * max(len(session_columns), 1)
    height = HEAD_H + CELL_H * max(len(members), 1)
    out = [f'<svg class="dashboard-grid" role="img" aria-labelledby="grid-title" aria-describedby="grid-desc" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" focusable="false" '
           f'xmlns="http://www.w3.org/2000/svg">',
           f'<title id="grid-title">{escape(title)}</title><desc id="grid-desc">{escape(description)}</desc>',
           _defs()]
    # The grid's lines once, rather than a frame per cell.
    bottom = HEAD_H + CELL_H * len(members)
    lines = [f"M{LABEL_W + i * CELL_W} {HEAD_H}V{bottom}" for i in range(len(session_columns) + 1)]
    lines += [f"M0 {HEAD_H + r * CELL_H}H{width}" for r in range(len(members) + 1)]
    out.append(f'<path class="grid-frame" d="{"".join(lines)}"/>')
    for i, (_sid, number) in enumerate(session_columns):
        x = LABEL_W + i * CELL_W + CELL_W // 2
        out.append(f'<text class="grid-head" x="{x}" y="{HEAD_H - 12}">S{number}</text>')
    cell, empty = activity.cells.get, _cell(0, 0, 0, 0)
    for row, member in enumerate(members):
        y = HEAD_H + row * CELL_H
        out.append(f'<text class="grid-name" x="4" y="{y + CELL_H // 2 + 5}">{escape(_short(member.name))}</text>')
        uid = member.user_id
        for i, (sid, number) in enumerate(session_columns):
            c = cell((uid, sid))
            marks = _cell(c.attended, c.posted, c.responded, c.feedback) if c is not None else empty
            out.append(f'<g data-member="{uid}" data-session="{number}">'
                       f'<g transform="translate({LABEL_W + i * CELL_W} {y})">{marks}</g></g>')
    out.append("</svg>")
    # Safe: names and titles are escaped above; the rest is numbers and the grid's own words.
    return Markup("".join(out))  # nosec B704
