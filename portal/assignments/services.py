"""Handing in, due dates and extensions. Each service commits once; marking is in marking.py."""
from __future__ import annotations

import hashlib
from datetime import datetime

from flask import current_app
from sqlalchemy import delete, func, select

from portal.assignments import files
from portal.assignments.content import Assignment, assignment
from portal.assignments.models import AssignmentDue, AssignmentExtension, Submission
from portal.audit.services import record
from portal.cohorts.timetable import load_timetable
from portal.dates import human_date, utcnow
from portal.discussions.models import Draft
from portal.errors import DomainError, NotFound, RuleViolation
from portal.extensions import db
from portal.links import external_url
from portal.notifications.events import record as notify
from portal.mail import queue_mail
from portal import storage

TEXT_MAX = 60_000


class NotSaved(DomainError):
    """Storage failed (a full disk): nothing was stored; the learner's text is handed back to them."""

    status = 503


def find_assignment(slug: str) -> Assignment:
    found = assignment(slug)
    if found is None:
        raise NotFound("That assignment isn't here.")
    return found


def is_open(cohort_id: int, item: Assignment) -> bool:
    """Open once the cohort's session with that number has opened (by number: ids differ between courses)."""
    return any(slot.is_open for slot in load_timetable(cohort_id) if slot.session.number == item.opens_after_session)


def due_at(cohort_id: int, slug: str, user_id: int | None = None) -> datetime | None:
    """The learner's own due date: their extension if they have one, else the cohort's."""
    if user_id is not None:
        extended = db.session.scalar(select(AssignmentExtension.due_at).where(
            AssignmentExtension.cohort_id == cohort_id, AssignmentExtension.assignment_slug == slug,
            AssignmentExtension.user_id == user_id))
        if extended is not None:
            return extended
    return db.session.scalar(select(AssignmentDue.due_at).where(
        AssignmentDue.cohort_id == cohort_id, AssignmentDue.assignment_slug == slug))


def versions(cohort_id: int, slug: str, user_id: int) -> list[Submission]:
    return list(db.session.scalars(select(Submission).where(
        Submission.cohort_id == cohort_id, Submission.assignment_slug == slug, Submission.user_id == user_id)
        .order_by(Submission.version.desc())))


def draft_key(slug: str) -> str:
    """The key of the autosaved hand-in text (the discussions' draft machinery)."""
    return f"assignment:{slug}"


def version_token(cohort_id: int, slug: str, user_id: int) -> str:
    """What the hand-in form carries: the last version handed in when it opened ("0": none yet)."""
    last = db.session.scalar(select(func.max(Submission.version)).where(
        Submission.cohort_id == cohort_id, Submission.assignment_slug == slug, Submission.user_id == user_id))
    return str(last or 0)


def assignment_draft_spent(user_id: int, cohort_id: int, slug: str, token: str | None) -> bool:
    """For the autosave: a draft typed before a later hand-in is stale, so handed-in words never come back."""
    return version_token(cohort_id, slug, user_id) != (token or "")


def draft_allowed(cohort_id: int, slug: str) -> bool:
    item = assignment(slug)
    return item is not None and is_open(cohort_id, item)


def count_words(text: str) -> int:
    return len((text or "").split())


def submit(user, cohort, slug: str, text: str, upload=None) -> Submission:
    """Hand in a new version (text and/or one file); earlier versions are kept. Sends the receipt."""
    item = find_assignment(slug)
    if not is_open(cohort.id, item):
        raise RuleViolation("This assignment isn't open yet. It opens after session "
                            f"{item.opens_after_session}.")
    text = (text or "").strip()
    if len(text) > TEXT_MAX:
        raise RuleViolation(f"The text can be up to {TEXT_MAX:,} characters. Please shorten it, or upload it "
                            "as a file instead. Your text is kept below.")
    has_file = upload is not None and bool(upload.filename or "")
    if not text and not has_file:
        raise RuleViolation("Please write your work below or choose a file before handing it in.")
    now, due = utcnow(), due_at(cohort.id, slug, user.id)
    late = due is not None and now > due
    if late and item.refuses_late:
        raise RuleViolation("The due date for this assignment has passed, so it can't be handed in here now. "
                            "Please talk to your facilitator: they can give you more time.")
    submission = Submission(cohort_id=cohort.id, assignment_slug=slug, user_id=user.id, text=text,
                            word_count=count_words(text), is_late=late, submitted_at=now,
                            text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())
    if has_file:
        _store_file(submission, upload)
    try:
        last = db.session.scalar(select(func.max(Submission.version)).where(
            Submission.cohort_id == cohort.id, Submission.assignment_slug == slug, Submission.user_id == user.id))
        submission.version = (last or 0) + 1
        db.session.add(submission)
        db.session.execute(delete(Draft).where(Draft.user_id == user.id, Draft.cohort_id == cohort.id,
                                               Draft.key == draft_key(slug)))
        record(user, "assignment submitted", subject=submission, cohort=cohort,
               detail=f"{slug} version {submission.version}{' (late)' if late else ''}")
        notify("new_submission", cohort.id, user.id, "cohort_submission", submission.id)
        queue_mail(user.email, f"Received: {item.title}", _receipt_text(item, submission, cohort))
        db.session.commit()
    except BaseException:
        db.session.rollback()
        if submission.file_key:
            storage.delete(submission.file_key)  # nothing half-made is left behind
        raise
    return submission


def _store_file(submission: Submission, upload) -> None:
    kind: dict[str, str] = {}

    def inspect(path, size):
        kind["type"] = files.judge(path, size)

    try:
        key, size, digest = storage.save_stream(upload.stream, "upload", inspect=inspect, max_bytes=files.MAX_BYTES)
    except storage.StorageError:
        raise files.FileRefused("Files can be up to 10 MB. Please make it smaller, or paste your text below. "
                                "Nothing has been handed in yet.") from None
    except OSError:
        current_app.logger.exception("Could not store an assignment file")
        raise NotSaved("Sorry, your file couldn't be saved just now, so nothing has been handed in. "
                       "Your text is kept below: please try again in a little while.") from None
    submission.file_key, submission.file_size, submission.file_sha256 = key, size, digest
    submission.file_type = kind["type"]
    submission.file_name = files.clean_name(upload.filename, kind["type"])


def _receipt_text(item: Assignment, submission: Submission, cohort) -> str:
    lines = [f"We have received version {submission.version} of your work for \"{item.title}\".", "",
             f"Received: {human_date(submission.submitted_at)} (UTC {submission.submitted_at:%Y-%m-%d %H:%M:%S})"]
    if submission.text:
        lines.append(f"Text: {submission.word_count} words, SHA-256 {submission.text_sha256}")
    if submission.file_key:
        lines.append(f"File: {submission.file_name}, SHA-256 {submission.file_sha256}")
    if submission.is_late:
        lines.append("It arrived after the due date, so it is marked late.")
    lines += ["", "You can see your receipt here:",
              external_url("assignments.receipt", cohort_id=cohort.id, submission_id=submission.id)]
    return "\n".join(lines)


def set_due(actor, cohort, slug: str, when: datetime) -> None:
    find_assignment(slug)
    row = db.session.scalar(select(AssignmentDue).where(AssignmentDue.cohort_id == cohort.id,
                                                        AssignmentDue.assignment_slug == slug))
    if row is None:
        row = AssignmentDue(cohort_id=cohort.id, assignment_slug=slug, due_at=when)
        db.session.add(row)
    row.due_at, row.set_by_id = when, actor.id
    record(actor, "assignment due date set", subject=row, cohort=cohort, detail=f"{slug}: {when:%Y-%m-%d %H:%M}")
    db.session.commit()


def grant_extension(actor, cohort, slug: str, learner_id: int, when: datetime) -> None:
    from portal.cohorts.models import Membership

    find_assignment(slug)
    member = db.session.scalar(select(Membership).where(Membership.cohort_id == cohort.id,
                                                         Membership.user_id == learner_id,
                                                         Membership.role == "learner"))
    if member is None:
        raise NotFound("That person isn't a learner in this cohort.")
    row = db.session.scalar(select(AssignmentExtension).where(
        AssignmentExtension.cohort_id == cohort.id, AssignmentExtension.assignment_slug == slug,
        AssignmentExtension.user_id == learner_id))
    if row is None:
        row = AssignmentExtension(cohort_id=cohort.id, assignment_slug=slug, user_id=learner_id, due_at=when)
        db.session.add(row)
    row.due_at, row.granted_by_id = when, actor.id
    record(actor, "assignment extension given", subject=row, cohort=cohort,
           detail=f"{slug}: person {learner_id} until {when:%Y-%m-%d %H:%M}")
    db.session.commit()


def is_cohort_facilitator() -> bool:
    """The cohort's own active facilitators: not site admins, who are not shown learners' work."""
    from flask import g

    membership = g.get("membership")
    return membership is not None and membership.is_facilitator


def submission_for(cohort_id: int, submission_id: int, user, facilitator: bool) -> Submission:
    """A submission its author or the cohort's facilitators may see; NotFound for anyone else."""
    row = db.session.get(Submission, submission_id)
    if row is None or row.cohort_id != cohort_id or (not facilitator and row.user_id != user.id):
        raise NotFound("That isn't here.")
    return row
