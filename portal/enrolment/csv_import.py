"""Reading a CSV of names and email addresses, as spreadsheets really export them."""
from __future__ import annotations

import csv
import io

from email_validator import EmailNotValidError, validate_email

from portal.auth.models import EMAIL_MAX, NAME_MAX
from portal.forms import strip_filter

MAX_ROWS = 5_000


class CsvProblem(Exception):
    """The file as a whole can't be read; the message says why, kindly."""


def decode(data: bytes) -> str:
    """UTF-8 with or without a byte-order mark, else Windows-1252 (what Excel often saves)."""
    if b"\x00" in data[:4096]:
        raise CsvProblem("This file doesn't look like a CSV (it contains binary data). Save it as CSV and try again.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CsvProblem("This file's text could not be read. Save it as “CSV UTF-8” and try again.")


def _dialect(text: str):
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _columns(header: list[str]) -> tuple[int, int] | None:
    """(name column, email column) when the first row is a header, else None."""
    cells = [h.strip().lower() for h in header]
    email = next((i for i, h in enumerate(cells) if "mail" in h), None)
    name = next((i for i, h in enumerate(cells) if "name" in h and i != email), None)
    if email is None or "@" in header[email]:
        return None
    return (name if name is not None else -1), email


def parse_rows(data: bytes) -> list[dict]:
    """Every data row as {"line", "name", "email", "problem"}; problems here are about the row alone."""
    text = decode(data)
    if not text.strip():
        raise CsvProblem("The file is empty. Add a row for each person: their name, then their email address.")
    rows = [r for r in csv.reader(io.StringIO(text), _dialect(text))]
    header = _columns(rows[0]) if rows else None
    name_col, email_col = header if header else (0, 1)
    start = 2 if header else 1
    body = rows[1:] if header else rows
    if not any(any(cell.strip() for cell in r) for r in body):
        raise CsvProblem("The file has no people in it, only a header row.")
    if len(body) > MAX_ROWS:
        raise CsvProblem(f"The file has {len(body):,} rows. Up to {MAX_ROWS:,} people can be invited at once: "
                         "split it into smaller files.")
    result = []
    for line, row in enumerate(body, start=start):
        if not any(cell.strip() for cell in row):
            continue
        if not header and len(row) >= 2 and "@" in row[0] and "@" not in row[1]:
            row = [row[1], row[0]]  # email first, name second
        name = strip_filter(row[name_col]) if 0 <= name_col < len(row) else ""
        email = strip_filter(row[email_col]) if email_col < len(row) else ""
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
