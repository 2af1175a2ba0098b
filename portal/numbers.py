"""Whole numbers from URLs, query strings and forms: ASCII digits only, within a database integer.

`str.isdigit()` accepts '²' and '٣', `int()` accepts '٣' and numbers of any size, and a database
integer stops at 2**63 - 1: every id or page number from outside goes through here instead.
"""
from __future__ import annotations

import re

from flask import request
from werkzeug.routing import IntegerConverter, ValidationError

MAX_ID = 2**31 - 1  # the largest INTEGER, the type of every id column (PostgreSQL refuses a larger one)
_DIGITS = re.compile(r"[0-9]{1,10}")  # re.ASCII is implied by the class: no other scripts' digits


def parse_id(value: object) -> int | None:
    """The positive whole number `value` spells in ASCII digits, or None (wrong type, too big, not digits)."""
    if not isinstance(value, str) or not _DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def query_int(name: str, default: int, *, maximum: int = MAX_ID) -> int:
    """A positive whole number from the query string, or `default` when it is missing or not one."""
    number = parse_id(request.args.get(name))
    return number if number is not None and number <= maximum else default


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: ASCII digits that fit a database integer; anything else is a 404."""

    regex = r"[0-9]{1,10}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValidationError()
        return number
