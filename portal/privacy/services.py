"""My data: asking for an export, listing mine, and the signed, personal, expiring download link."""
from __future__ import annotations

from pathlib import Path

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, select

from portal import storage
from portal.dates import utcnow
from portal.errors import DomainError, NotFound
from portal.extensions import db
from portal.privacy.models import DataExport

WAITING = ("queued", "building")


class ExportGone(DomainError):
    """The link was right once, but the download has expired (or its file is gone)."""

    status = 410


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="portal.privacy.export")


def sign_export(export: DataExport) -> str:
    return _signer().dumps({"e": export.id, "u": export.user_id})


def exports_of(user_id: int) -> list[DataExport]:
    return list(db.session.scalars(select(DataExport).where(DataExport.user_id == user_id)
                                   .order_by(DataExport.requested_at.desc(), DataExport.id.desc()).limit(10)))


def request_export(user) -> tuple[DataExport, bool]:
    """Queue an export for `user` (the build runs in the background); (export, whether it is new).
    While one is waiting, asking again (a double click) returns that one instead of a second."""
    from portal.privacy.export import build_export_task

    waiting = db.session.scalars(select(DataExport).where(DataExport.user_id == user.id,
                                                          DataExport.status.in_(WAITING))).first()
    if waiting is not None:
        return waiting, False
    export = DataExport(user_id=user.id, status="queued")
    db.session.add(export)
    db.session.commit()
    build_export_task(export.id)  # only enqueues: the worker builds it
    db.session.refresh(export)
    return export, True


def export_for_download(user, export_id: int, token: str) -> tuple[Path, DataExport]:
    """The stored ZIP behind a signed link. Someone else's export, or a forged link: NotFound (404).
    An expired link or download: ExportGone, with a friendly page."""
    export = db.session.get(DataExport, export_id)
    if export is None or export.user_id != user.id:
        raise NotFound("That download isn't here.")
    days = current_app.config["DATA_EXPORT_DAYS"]
    try:
        payload = _signer().loads(token, max_age=days * 24 * 3600)
    except SignatureExpired:
        raise ExportGone("This download link has expired.") from None
    except BadSignature:
        raise NotFound("That download isn't here.") from None
    if payload != {"e": export.id, "u": user.id}:
        raise NotFound("That download isn't here.")
    if export.status != "ready" or export.expires_at is None or export.expires_at <= utcnow():
        raise ExportGone("This download has expired.")
    try:
        return storage.path_of(export.file_key), export
    except NotFound:
        raise ExportGone("This download has expired.") from None


def delete_exports(statement) -> int:
    """Delete the exports chosen by `statement` (a select of DataExport) and their files. No commit."""
    exports = list(db.session.scalars(statement))
    for export in exports:
        if export.file_key:
            storage.delete(export.file_key)
    if exports:
        db.session.execute(delete(DataExport).where(DataExport.id.in_([e.id for e in exports])))
    return len(exports)


def delete_expired_exports() -> int:
    """Expired downloads go, file and row: an export is a copy of everything, not to be kept lying about."""
    count = delete_exports(select(DataExport).where(DataExport.expires_at <= utcnow()))
    db.session.commit()
    return count
