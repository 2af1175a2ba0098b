"""Small pieces shared by every feature's forms."""
from __future__ import annotations

import unicodedata


def strip_filter(value):
    """For one-line fields: drop control characters (NUL, newlines …) and surrounding space."""
    if not isinstance(value, str):
        return value
    return "".join(ch for ch in value if unicodedata.category(ch) != "Cc").strip()
