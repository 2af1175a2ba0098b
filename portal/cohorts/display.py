"""How a session's time and place read on a page: said plainly, with nothing guessed or made up."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from portal.cohorts.models import CohortSession
from portal.dates import DATE_TBC, TIME_TBC, human_day, human_meeting, human_time, local_zone

LINK_SCHEMES = ("http", "https")
TRAILING = ".,;:!?)"


def session_when(entry: CohortSession) -> Markup:
    """The date and time in a <time> element; "time to be confirmed" where the time is not set yet, never a
    midnight nobody chose."""
    if entry.day is None:
        return Markup("{}, {}").format(DATE_TBC, human_time(entry.start_time)) if entry.start_time else \
            escape(DATE_TBC)
    if entry.start_time is None:
        return Markup('<time datetime="{}">{}</time>, {}').format(entry.day.isoformat(), human_day(entry.day),
                                                                  TIME_TBC)
    local = entry.starts_at.astimezone(local_zone())
    return Markup('<time datetime="{}">{}</time>').format(local.isoformat(timespec="minutes"),
                                                          human_meeting(entry.day, entry.start_time))


def _link_host(word: str) -> str | None:
    """The host of `word` when it is a web address people can follow (http or https only), else None."""
    try:
        parts = urlsplit(word)
        host = parts.hostname
    except ValueError:
        return None
    return host if parts.scheme.lower() in LINK_SCHEMES and host else None


def session_place(location: str | None) -> Markup:
    """The place as typed; a web address in it becomes a link that says where it goes:
    "Join online (meet.example.org)". Any other scheme stays plain text."""
    html = []
    for piece in re.split(r"(\s+)", location or ""):
        word = piece.rstrip(TRAILING)  # "at https://meet.example.org/x." ends a sentence, not the address
        host = _link_host(word)
        if host is None:
            html.append(escape(piece))
            continue
        html.append(Markup('<a href="{}">Join online ({})</a>{}').format(word, host, piece[len(word):]))
    return Markup("").join(html)
