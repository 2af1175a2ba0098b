"""How many invitations a person may send: every address counts, not every request (RATELIMIT_INVITE).

One CSV confirmation is one request but may email thousands of people, so the views check the whole
batch against what is left before sending, and spend one per address sent. Same storage as the other
rate limits (memory, or Redis shared by every process).
"""
from __future__ import annotations

import math
import time

from flask import current_app
from limits import parse_many

from portal.errors import DomainError
from portal.extensions import limiter
from portal.words import plural

_SCOPE = "invitations-sent"


class InviteLimitReached(DomainError):
    status = 429


def _limits():
    return parse_many(current_app.config["RATELIMIT_INVITE"])


def remaining(key: str) -> int:
    """Invitations this person can send right now."""
    if not limiter.enabled:
        return 10**9
    return max(0, min(limiter.limiter.get_window_stats(item, _SCOPE, key).remaining for item in _limits()))


def check(key: str, wanted: int) -> None:
    """Refuse, saying how many can go now and when more can, if `wanted` invitations would pass the limit."""
    left = remaining(key)
    if wanted <= left:
        return
    waits = [limiter.limiter.get_window_stats(item, _SCOPE, key).reset_time - time.time() for item in _limits()]
    minutes = max(1, math.ceil(max(waits) / 60))
    limit = " and ".join(_words(item) for item in _limits())
    can = f"you can send {left} more now" if left else "you can't send any more just now"
    raise InviteLimitReached(
        f"This would send {plural(wanted, 'invitation')}, but {can} (the limit is {limit}, to "
        f"protect people's inboxes). More can be sent in about {plural(minutes, 'minute')}."
        + (" You could invite fewer people now, and the rest later." if left else ""))


def _words(item) -> str:
    unit = item.GRANULARITY.name
    if item.multiples == 1:
        return f"{item.amount} {'an' if unit == 'hour' else 'a'} {unit}"
    return f"{item.amount} every {item.multiples} {unit}s"


def spend(key: str, sent: int) -> None:
    """Count `sent` invitations against every window of the limit."""
    if sent and limiter.enabled:
        for item in _limits():
            limiter.limiter.hit(item, _SCOPE, key, cost=sent)
