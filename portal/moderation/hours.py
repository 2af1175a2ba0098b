"""When a cohort's facilitators are usually around, in their own words, with plain default words."""
from __future__ import annotations

HOURS_MAX = 1_000
DEFAULT_HOURS = ("Your facilitators usually read the portal on weekdays during working hours, and are not "
                 "around in the evenings, at night or at weekends. Anything written outside those times waits "
                 "until they are next here. If you need help before then, please use the crisis contacts.")


def usual_hours(cohort) -> str:
    """The cohort's words (cohort.usual_hours) or the default; for the cohort home, held-content messages and
    the "Need help now?" page."""
    text = (getattr(cohort, "usual_hours", None) or "").strip()
    return text or DEFAULT_HOURS


def set_usual_hours(actor, cohort, text: str | None) -> None:
    """A facilitator's words for the cohort (empty: the default words). Audited."""
    from portal.audit.services import record
    from portal.errors import InvalidInput
    from portal.extensions import db

    from portal.discussions.text import clean_body

    cleaned = clean_body(text)
    if len(cleaned) > HOURS_MAX:
        raise InvalidInput(f"Please keep this to {HOURS_MAX:,} characters (it is {len(cleaned):,} now). "
                           "Your words are still here.")
    if (cohort.usual_hours or "") == cleaned:
        return
    cohort.usual_hours = cleaned or None
    record(actor, "cohort.usual_hours_changed", cohort=cohort, detail=cleaned[:200] or "(the default words)")
    db.session.commit()
