"""Mute and suspend: a member's place in one cohort, limited for a while by a facilitator.

- Muted: they read everything but don't post, reply, respond, give feedback or react. They may still
  flag: telling a facilitator that something worries them is never closed to anyone.
- Suspended: they can't open the cohort's pages at all.
Both end by themselves: each request compares the stored time with now, so nothing needs to run to lift them.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import and_, or_

from portal.cohorts.models import Membership
from portal.dates import human_date, utcnow

# "Until a facilitator lifts it": a time that never comes.
UNTIL_LIFTED = datetime(9999, 12, 31, tzinfo=timezone.utc)
MAX_DAYS = 365


def _active(until: datetime | None) -> bool:
    return until is not None and until > utcnow()


def restricted_sql(now):
    """SQL: the membership is muted or suspended at `now` (a time or a bound parameter); false, never NULL,
    when neither is set, so its negation reads "free to take part"."""
    return or_(and_(Membership.muted_until.is_not(None), Membership.muted_until > now),
               and_(Membership.suspended_until.is_not(None), Membership.suspended_until > now))


def is_muted(membership) -> bool:
    return membership is not None and _active(membership.muted_until)


def is_suspended(membership) -> bool:
    return membership is not None and _active(membership.suspended_until)


def until_words(until: datetime) -> str:
    return "until a facilitator lifts it" if until >= UNTIL_LIFTED else f"until {human_date(until)}"


def muted_reason(membership) -> str:
    return ("A facilitator has paused your posting in this cohort for a while, "
            f"{until_words(membership.muted_until)}. You can still read everything here, and flag anything "
            "that worries you. Your facilitator can tell you more.")


def suspended_reason(membership) -> str:
    return (f"Your access to this cohort is suspended {until_words(membership.suspended_until)}. "
            "Your facilitator can tell you more. If you need to talk to someone now, the “Need help now?” "
            "page lists people you can contact at any time.")
