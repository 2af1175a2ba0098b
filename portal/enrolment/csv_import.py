"""Reading a CSV of names and email addresses, as spreadsheets really export them."""
from __future__ import annotations

import csv
import io
from itertools import islice

from email_validator import EmailNotValidError, validate_email

from portal.auth.models import EMAIL_MAX, NAME_MAX
from portal.forms import strip_filter

MAX_ROWS = 5_000
DELIMITERS = (",", ";", "\t")  # first wins a tie: comma, then Excel's semicolon (European locales), then tab
_SAMPLE_ROWS = 50


class CsvProblem(Exception):
    """The file as a whole can't be read; the message says why, kindly."""


def decode(data: bytes) -> str:
    """UTF-8 with or without a byte-order mark, UTF-16 with one, else Windows-1252 (what Excel often saves)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text"
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise CsvProblem("This file doesn't look like a CSV (it contains binary data). Save it as CSV and try again.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CsvProblem("This file's text could not be read. Save it as “CSV UTF-8” and try again.")


def _reader(text: str, delimiter: str):
    # newline=None reads \r\n, \n and old Mac \r line ends alike; only double quotes quote (never ').
    return csv.reader(io.StringIO(text, newline=None), delimiter=delimiter, quotechar='"', skipinitialspace=True)


def _delimiter(text: str) -> str:
    """The delimiter that leaves an email address alone in its cell on most of the first rows.

    csv.Sniffer guesses wrong on short files and on names with quotes or commas ("Smith, Ada;ada@…").
    """
    def score(delimiter: str) -> tuple[int, int]:
        clean = wide = 0
        try:
            for row in islice(_reader(text[:65536], delimiter), _SAMPLE_ROWS):
                cells = [c.strip() for c in row]
                clean += any("@" in c and not any(ch in c for ch in " ,;\t") for c in cells)
                wide += len(cells) > 1
        except csv.Error:
            pass
        return clean, wide

    return max(DELIMITERS, key=score)


def _columns(first: list[str]) -> tuple[int, int] | None:
    """(name column or -1, email column) when the first row is a header (any order, any case), else None."""
    cells = [c.strip().lower() for c in first]
    if any("@" in c for c in cells):
        return None
    email = next((i for i, c in enumerate(cells) if "mail" in c), None)
    if email is None:
        return None
    return next((i for i, c in enumerate(cells) if "name" in c and i != email), -1), email


def _name_and_email(row: list[str], columns: tuple[int, int] | None) -> tuple[str, str]:
    if columns:
        name_col, email_col = columns
        return (row[name_col] if 0 <= name_col < len(row) else "",
                row[email_col] if email_col < len(row) else "")
    if len(row) == 1:  # a list of addresses only
        return ("", row[0]) if "@" in row[0] else (row[0], "")
    if "@" in row[0] and "@" not in row[1]:  # email first, name second
        return row[1], row[0]
    return row[0], row[1]


def _read_all(text: str) -> list[tuple[int, list[str]]]:
    """Each row with the line it starts on (a quoted name may run over several lines)."""
    reader = _reader(text, _delimiter(text))
    rows, line = [], 1
    try:
        for row in reader:
            rows.append((line, row))
            line = reader.line_num + 1
    except csv.Error:  # an unclosed quotation mark swallowing the rest of the file, or a stray NUL
        raise CsvProblem(f"Line {reader.line_num} of the file couldn't be read: check its quotation marks "
                         "come in pairs, or save the file from your spreadsheet again.") from None
    return rows


def parse_rows(data: bytes) -> list[dict]:
    """Every data row as {"line", "name", "email", "problem"}; problems here are about the row alone."""
    text = decode(data)
    if not text.strip():
        raise CsvProblem("The file is empty. Add a row for each person: their name, then their email address.")
    rows = _read_all(text)
    columns = _columns(rows[0][1]) if rows else None
    body = [(line, row) for line, row in rows[1 if columns else 0:] if any(cell.strip() for cell in row)]
    if not body:
        raise CsvProblem("The file has no people in it" + (", only a header row." if columns else "."))
    if len(body) > MAX_ROWS:
        raise CsvProblem(f"The file has {len(body):,} rows. Up to {MAX_ROWS:,} people can be invited at once: "
                         "split it into smaller files.")
    result = []
    for line, row in body:
        name, email = (strip_filter(" ".join(value.split())) for value in _name_and_email(row, columns))
        result.append({"line": line, "name": name, "email": email, "problem": _row_problem(name, email)})
    return result


def _row_problem(name: str, email: str) -> str | None:
    if not email:
        return "No email address"
    if len(email) > EMAIL_MAX:
        return "Email address is too long"
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return "Email address is not in the right format"
    if len(name) > NAME_MAX:
        return f"Name is longer than {NAME_MAX} characters"
    return None
