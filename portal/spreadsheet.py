"""CSV downloads that open safely in a spreadsheet: every cell neutralised against formula injection,
UTF-8 with a byte-order mark so Excel reads the accents and emoji people type."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from flask import Response

# A cell a spreadsheet would run as a formula starts with one of these (OWASP's list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CELL_LIMIT = 32_000  # Excel holds at most 32,767 characters in a cell; longer text is cut with a mark


def safe_cell(value: object) -> str:
    """One cell as text a spreadsheet shows and never runs: a leading quote mark disarms a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    if len(text) > CELL_LIMIT:
        text = text[:CELL_LIMIT] + " [cut]"
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The whole file as text, BOM first, CRLF line ends (RFC 4180)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Response:
    """A download of `rows` as `filename` (.csv), never cached (it holds personal data)."""
    response = Response(csv_text(header, rows).encode("utf-8"), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response.headers["Cache-Control"] = "no-store"
    return response
