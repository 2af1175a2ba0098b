"""Safeguarding concerns: open one about a member (linked to what raised it), record actions and follow-ups,
close with an outcome, reopen. Every step is audited in the same transaction. Only a cohort's facilitators
and site admins ever reach these (the views are FACILITATOR-level); the person concerned never sees them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from portal.audit.services import record
from portal.auth.models import User
from portal.cohorts.models import Cohort, Membership
from portal.dates import local_today, utcnow
from portal.errors import InvalidInput, RuleViolation
from portal.extensions import db
from portal.safeguarding.items import Item, find_item, find_items
from portal.safeguarding.models import (DETAILS_MAX, NOTE_MAX, OUTCOME_MAX, SUMMARY_MAX, Concern, ConcernAction,
                                        ConcernItem)


class TooLong(InvalidInput):
    status = 422


def _text(value: str | None, limit: int, what: str, *, required: bool) -> str:
    text = (value or "").replace("\x00", "").replace("\r\n", "\n").strip()
    if required and not text:
        raise InvalidInput(f"Please write {what}.")
    if len(text) > limit:
        raise TooLong(f"{what[0].upper()}{what[1:]} is {len(text):,} characters long; it can be up to {limit:,}. "
                      "Please shorten it: your text is kept below.")
    return text


def learner_ids(cohort_id: int) -> set[int]:
    """The people a concern can be about: the cohort's learners, past and present."""
    return set(db.session.scalars(select(Membership.user_id).where(
        Membership.cohort_id == cohort_id, Membership.role == "learner")))


def open_concern(actor, cohort: Cohort, member_id: int | None, summary: str, details: str | None,
                 follow_up_on: date | None, item: tuple[str, int] | None, client_token: str | None) -> Concern:
    """Open a concern about a learner of this cohort. A resent form returns the concern it already made."""
    if client_token and (earlier := _by_token(Concern, Concern.opened_by_id, actor.id, client_token)) is not None:
        return earlier
    summary = _text(summary, SUMMARY_MAX, "what worries you", required=True)
    details = _text(details, DETAILS_MAX, "what happened", required=False)
    if member_id not in learner_ids(cohort.id):
        raise InvalidInput("Please choose the member of this cohort the concern is about.")
    found = _item(cohort.id, item)
    concern = Concern(cohort_id=cohort.id, member_id=member_id, opened_by_id=actor.id, summary=summary,
                      details=details, follow_up_on=follow_up_on, client_token=client_token or None)
    db.session.add(concern)
    db.session.flush()
    if found is not None:
        db.session.add(ConcernItem(concern_id=concern.id, subject_kind=found.kind, subject_id=found.id))
    record(actor, "concern.opened", subject=concern, cohort=cohort, detail=_follow_up_detail(follow_up_on))
    return _commit(concern, lambda: _by_token(Concern, Concern.opened_by_id, actor.id, client_token))


def _item(cohort_id: int, item: tuple[str, int] | None) -> Item | None:
    if item is None:
        return None
    found = find_item(cohort_id, *item)
    if found is None:
        raise InvalidInput("That item isn't in this cohort, so the concern can't be linked to it.")
    return found


def link_item(actor, concern: Concern, kind: str, item_id: int) -> None:
    """Link one more item of the cohort to the concern; linking it twice changes nothing."""
    found = _item(concern.cohort_id, (kind, item_id))
    exists = db.session.scalar(select(ConcernItem.id).where(
        ConcernItem.concern_id == concern.id, ConcernItem.subject_kind == found.kind,
        ConcernItem.subject_id == found.id))
    if exists:
        return
    db.session.add(ConcernItem(concern_id=concern.id, subject_kind=found.kind, subject_id=found.id))
    record(actor, "concern.item_linked", subject=concern, cohort=concern.cohort_id, detail=found.label)
    try:
        db.session.commit()
    except IntegrityError:  # the same link at the same moment from another request
        db.session.rollback()


def add_action(actor, concern: Concern, done_on: date | None, note: str, follow_up_on: date | None,
               client_token: str | None) -> ConcernAction:
    """Record what was done, and set (or clear) the next follow-up."""
    if client_token and (earlier := _by_token(ConcernAction, ConcernAction.author_id, actor.id,
                                              client_token)) is not None:
        return earlier
    if not concern.is_open:
        raise RuleViolation("This concern is closed. Reopen it to record more.")
    note = _text(note, NOTE_MAX, "what was done", required=True)
    action = ConcernAction(concern_id=concern.id, author_id=actor.id, kind="action",
                           done_on=done_on or local_today(), note=note, follow_up_on=follow_up_on,
                           client_token=client_token or None)
    db.session.add(action)
    concern.follow_up_on = follow_up_on
    record(actor, "concern.action_added", subject=concern, cohort=concern.cohort_id,
           detail=_follow_up_detail(follow_up_on))
    return _commit(action, lambda: _by_token(ConcernAction, ConcernAction.author_id, actor.id, client_token))


def close_concern(actor, concern: Concern, outcome: str) -> bool:
    """Close with an outcome; False (nothing recorded) if it was already closed, e.g. a double click."""
    outcome = _text(outcome, OUTCOME_MAX, "the outcome", required=True)
    if not concern.is_open:
        return False
    concern.status, concern.outcome, concern.follow_up_on = "closed", outcome, None
    concern.closed_at, concern.closed_by_id = utcnow(), actor.id
    db.session.add(ConcernAction(concern_id=concern.id, author_id=actor.id, kind="closed", done_on=local_today(),
                                 note=outcome))
    record(actor, "concern.closed", subject=concern, cohort=concern.cohort_id)
    db.session.commit()
    return True


def reopen_concern(actor, concern: Concern, reason: str | None) -> bool:
    """Reopen a closed concern; False if it was open already."""
    reason = _text(reason, NOTE_MAX, "why it is reopened", required=False)
    if concern.is_open:
        return False
    concern.status, concern.closed_at, concern.closed_by_id = "open", None, None
    db.session.add(ConcernAction(concern_id=concern.id, author_id=actor.id, kind="reopened", done_on=local_today(),
                                 note=reason or "Reopened."))
    record(actor, "concern.reopened", subject=concern, cohort=concern.cohort_id, detail=None)
    db.session.commit()
    return True


def _follow_up_detail(follow_up_on: date | None) -> str | None:
    # The log holds no words of the concern: only that a follow-up is set, and for when.
    return f"Follow-up on {follow_up_on.isoformat()}" if follow_up_on else None


def _by_token(model, owner_column, owner_id: int, token: str | None):
    if not token:
        return None
    return db.session.scalars(select(model).where(owner_column == owner_id, model.client_token == token)).first()


def _commit(made, again):
    try:
        db.session.commit()
    except IntegrityError:  # the same form twice at once: the other request made it
        db.session.rollback()
        existing = again()
        if existing is None:
            raise
        return existing
    return made


# ---- the read side -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FollowUp:
    concern_id: int
    cohort_id: int
    cohort_name: str
    member_name: str | None
    summary: str
    due_on: date


def followup_due_sql(today):
    """SQL: an open concern whose follow-up date has come (on or before `today`, a date or a bound parameter).
    The one definition the concerns pages, the site-wide moderation page and the dashboard count by."""
    return and_(Concern.status == "open", Concern.follow_up_on <= today)


def followups_due(cohort_ids: list[int] | None, today: date) -> list[FollowUp]:
    """Open concerns whose follow-up date has come (on or before `today`), oldest first, in one query.
    `cohort_ids` None: every cohort (site admins); an empty list: none."""
    if cohort_ids is not None and not cohort_ids:
        return []
    statement = (select(Concern.id, Concern.cohort_id, Cohort.name, User.display_name, Concern.summary,
                        Concern.follow_up_on)
                 .join(Cohort, Cohort.id == Concern.cohort_id)
                 .outerjoin(User, User.id == Concern.member_id)
                 .where(followup_due_sql(today))
                 .order_by(Concern.follow_up_on, Concern.id))
    if cohort_ids is not None:
        statement = statement.where(Concern.cohort_id.in_(cohort_ids))
    return [FollowUp(*row) for row in db.session.execute(statement).all()]


def concerns_in(cohort_id: int) -> list[tuple[Concern, str | None]]:
    """The cohort's concerns with the member's name: open first (soonest follow-up first), then closed."""
    return db.session.execute(
        select(Concern, User.display_name).outerjoin(User, User.id == Concern.member_id)
        .where(Concern.cohort_id == cohort_id)
        .order_by((Concern.status == "open").desc(), Concern.follow_up_on.is_(None), Concern.follow_up_on,
                  Concern.opened_at.desc(), Concern.id.desc())).all()


@dataclass(frozen=True)
class ConcernPage:
    concern: Concern
    member_name: str | None
    opened_by_name: str | None
    actions: list[tuple[ConcernAction, str | None]]
    items: list[Item]


def concern_page(cohort_id: int, concern_id: int) -> ConcernPage | None:
    """One concern of this cohort with its history and items; None for anything not in this cohort."""
    member, opener = aliased(User), aliased(User)
    row = db.session.execute(
        select(Concern, member.display_name, opener.display_name)
        .outerjoin(member, member.id == Concern.member_id).outerjoin(opener, opener.id == Concern.opened_by_id)
        .where(Concern.id == concern_id, Concern.cohort_id == cohort_id)).first()
    if row is None:
        return None
    concern = row[0]
    actions = db.session.execute(
        select(ConcernAction, User.display_name).outerjoin(User, User.id == ConcernAction.author_id)
        .where(ConcernAction.concern_id == concern.id).order_by(ConcernAction.id)).all()
    pairs = db.session.execute(select(ConcernItem.subject_kind, ConcernItem.subject_id)
                               .where(ConcernItem.concern_id == concern.id).order_by(ConcernItem.id)).all()
    return ConcernPage(concern, row[1], row[2], [tuple(a) for a in actions],
                       find_items(cohort_id, [tuple(p) for p in pairs]))
