"""Adding, ordering, withdrawing and opening session resources. Each service commits once."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal import storage
from portal.audit.services import record
from portal.course.models import CourseSession
from portal.dates import utcnow
from portal.errors import InvalidInput, NotFound
from portal.extensions import db
from portal.resources import files
from portal.resources.links import link_host
from portal.resources.models import DESCRIPTION_MAX, TITLE_MAX, URL_MAX, Resource, ResourceOpened
from portal.resources.visibility import visible_resource


class NotSaved(InvalidInput):
    """Storage failed (a full disk): nothing was stored; what was typed is handed back."""

    status = 503


TOO_BIG = ("That file is larger than 20 MB, so it wasn't added. Please make it smaller (for example, save it as "
           "PDF without large pictures) and try again.")
BAD_LINK = ("That link can't be added: it must be a web address starting with http:// or https:// "
            "(for example https://www.example.org/page).")


def session_of(cohort, number: int) -> CourseSession:
    """The cohort's course session with that number (never its id: ids differ between databases)."""
    found = db.session.scalar(select(CourseSession).where(
        CourseSession.course_id == cohort.course_id, CourseSession.number == number,
        CourseSession.retired_at.is_(None)))
    if found is None:
        raise NotFound("That session isn't here.")
    return found


def add_resource(actor, cohort, number: int, title: str, description: str, url: str | None, upload=None,
                 client_token: str | None = None) -> Resource:
    """Add a link or a handout to one of the cohort's sessions, after its others. A form sent twice adds one."""
    session = session_of(cohort, number)
    title, description, url = (title or "").strip(), (description or "").strip(), (url or "").strip()
    if not title:
        raise InvalidInput("Please give the resource a title.")
    if len(title) > TITLE_MAX or len(description) > DESCRIPTION_MAX:
        raise InvalidInput(f"The title can be up to {TITLE_MAX} characters and the description up to "
                           f"{DESCRIPTION_MAX}. Please shorten it; your words are kept below.")
    has_file = upload is not None and bool(getattr(upload, "filename", "") or "")
    if bool(url) == has_file:
        raise InvalidInput("Please give either a link or a file (one of them, not both).")
    if url and (len(url) > URL_MAX or link_host(url) is None):
        raise InvalidInput(BAD_LINK)
    token = (client_token or "")[:64] or None
    if token is not None:
        earlier = _by_token(cohort.id, token)
        if earlier is not None:
            return earlier
    row = Resource(course_id=cohort.course_id, course_session_id=session.id, cohort_id=cohort.id, title=title,
                   description=description, kind="file" if has_file else "link", url=url or None,
                   client_token=token, added_by_id=actor.id)
    if has_file:
        _store(row, upload)
    try:
        last = db.session.scalar(select(func.max(Resource.position)).where(
            Resource.cohort_id == cohort.id, Resource.course_session_id == session.id))
        row.position = (last or 0) + 1
        db.session.add(row)
        db.session.flush()
        record(actor, "session resource added", subject=row, cohort=cohort,
               detail=f"session {number}: {row.kind} {title!r}")
        db.session.commit()
    except IntegrityError:  # the same form, sent twice at once: the other one added it
        db.session.rollback()
        _forget_file(row)
        earlier = _by_token(cohort.id, token) if token else None
        if earlier is None:
            raise
        return earlier
    except BaseException:
        db.session.rollback()
        _forget_file(row)
        raise
    return row


def _by_token(cohort_id: int, token: str) -> Resource | None:
    return db.session.scalar(select(Resource).where(Resource.cohort_id == cohort_id,
                                                    Resource.client_token == token))


def _forget_file(row: Resource) -> None:
    if row.file_key:
        storage.delete(row.file_key)  # nothing half-made is left behind


def _store(row: Resource, upload) -> None:
    kind: dict[str, str] = {}

    def inspect(path, size):
        kind["type"] = files.judge(path, size)

    try:
        key, size, _digest = storage.save_stream(upload.stream, "upload", inspect=inspect,
                                                 max_bytes=files.MAX_BYTES)
    except storage.StorageError:
        raise files.FileRefused(TOO_BIG) from None
    except OSError:
        current_app.logger.exception("Could not store a session resource")
        raise NotSaved("Sorry, the file couldn't be saved just now, so nothing was added. "
                       "Please try again in a little while.") from None
    row.file_key, row.file_size, row.file_type = key, size, kind["type"]
    row.file_name = files.download_name(upload.filename, kind["type"])


def own_resource(cohort, resource_id: int) -> Resource:
    """One of the cohort's own resources, not withdrawn; NotFound for anything else (the course's own too)."""
    row = db.session.get(Resource, resource_id)
    if row is None or row.cohort_id != cohort.id or row.withdrawn_at is not None:
        raise NotFound("That resource isn't here.")
    return row


def number_of(row: Resource) -> int:
    """The number of the session a resource belongs to."""
    return db.session.scalar(select(CourseSession.number).where(CourseSession.id == row.course_session_id))


def move_resource(actor, cohort, resource_id: int, direction: str) -> Resource:
    """Move one of the cohort's resources up or down among the cohort's others for the same session."""
    row = own_resource(cohort, resource_id)
    if direction not in ("up", "down"):
        raise InvalidInput("Please choose to move it up or down.")
    siblings = list(db.session.scalars(select(Resource).where(
        Resource.cohort_id == cohort.id, Resource.course_session_id == row.course_session_id,
        Resource.withdrawn_at.is_(None)).order_by(Resource.position, Resource.id)))
    at = siblings.index(row)
    to = at - 1 if direction == "up" else at + 1
    if 0 <= to < len(siblings):
        siblings[at], siblings[to] = siblings[to], siblings[at]
        for position, sibling in enumerate(siblings, start=1):
            sibling.position = position
        record(actor, "session resource moved", subject=row, cohort=cohort, detail=f"{direction}: {row.title!r}")
    db.session.commit()
    return row


def withdraw_resource(actor, cohort, resource_id: int) -> Resource:
    """Take one of the cohort's resources away from everyone; the row stays for the record."""
    row = own_resource(cohort, resource_id)
    row.withdrawn_at = utcnow()
    record(actor, "session resource withdrawn", subject=row, cohort=cohort, detail=row.title)
    db.session.commit()
    return row


def open_resource(user, cohort, membership, resource_id: int, facilitator: bool) -> Resource:
    """A resource this person may open now (NotFound otherwise), noting that a member has opened it."""
    row = visible_resource(cohort, resource_id, facilitator)
    if membership is None:
        return row
    opened = db.session.scalar(select(ResourceOpened.id).where(
        ResourceOpened.resource_id == row.id, ResourceOpened.cohort_id == cohort.id,
        ResourceOpened.user_id == user.id))
    if opened is None:
        db.session.add(ResourceOpened(resource_id=row.id, cohort_id=cohort.id, user_id=user.id))
        try:
            db.session.commit()
        except IntegrityError:  # opened twice at once: once is enough
            db.session.rollback()
    return row
