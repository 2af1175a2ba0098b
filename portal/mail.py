"""Sending email: SMTP when configured, otherwise an .eml file in the outbox folder."""
from __future__ import annotations

import re
import smtplib
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app

from portal.dates import utcnow


# Everything str.splitlines() breaks on, and other control characters: none may reach a header.
_NOT_IN_HEADERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
SUBJECT_LIMIT = 300  # QueuedMail.subject


def header_text(value: str, limit: int = SUBJECT_LIMIT) -> str:
    """A header value on one line: line breaks and control characters become spaces (a cohort's name is typed
    by people, and a break in a header either raises or starts a new header)."""
    text = _NOT_IN_HEADERS.sub(" ", str(value)).encode("utf-8", "replace").decode("utf-8")
    return " ".join(text.split())[:limit]


_HEADER_NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]{0,60}")
_OWN_HEADERS = {"from", "to", "subject", "date", "message-id", "cc", "bcc", "reply-to", "sender"}


def extra_headers(headers: dict[str, str] | None) -> dict[str, str] | None:
    """Headers a message adds (List-Unsubscribe, ...): names checked, values on one line."""
    if not headers:
        return None
    out = {}
    for name, value in headers.items():
        if not _HEADER_NAME.fullmatch(name) or name.lower() in _OWN_HEADERS:
            raise ValueError(f"not a header a message may add: {name!r}")
        out[name] = header_text(value, 2000)
    return out


def send_mail(to: str, subject: str, body: str, *, headers: dict[str, str] | None = None) -> None:
    """Write one message to the outbox and commit (for callers whose own change is already committed)."""
    from portal.extensions import db

    queue_mail(to, subject, body, headers=headers)
    db.session.commit()


def queue_mail(to: str, subject: str, body: str, *, headers: dict[str, str] | None = None) -> None:
    """Put one message in the outbox table as part of the caller's transaction (the caller commits).

    The message exists exactly when the change it reports does (a safety alert with its held post): both
    commit or neither. Once they have, the task queue delivers it (portal/mailqueue/delivery.py)."""
    from portal.extensions import db
    from portal.mailqueue.models import QueuedMail

    db.session.add(QueuedMail(to=header_text(to), subject=header_text(subject), headers=extra_headers(headers),
                              body=body.encode("utf-8", "replace").decode("utf-8")))


def deliver(to: str, subject: str, body: str, headers: dict[str, str] | None = None, *,
            message_id: str | None = None) -> EmailMessage:
    """Build and deliver one plain-text message; returns it for logging and tests. Raises when the server
    did not accept it. The outbox passes the message's own Message-ID, the same on every attempt."""
    cfg = current_app.config
    msg = EmailMessage()
    msg["From"] = cfg["MAIL_DEFAULT_SENDER"]
    msg["To"] = header_text(to)
    msg["Subject"] = header_text(subject)
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = header_text(message_id or make_msgid(domain="cohort-portal"), 255)
    for name, value in (extra_headers(headers) or {}).items():
        msg[name] = value
    msg.set_content(body.encode("utf-8", "replace").decode("utf-8"))
    if cfg.get("MAIL_SERVER"):
        _send_smtp(msg)
    else:
        path = _write_outbox(msg)
        # The address is personal data: log where the file went, not who it is for.
        current_app.logger.info("Mail written to outbox: %s", path.name)
    return msg


def _send_smtp(msg: EmailMessage) -> None:
    cfg = current_app.config
    with smtplib.SMTP(cfg["MAIL_SERVER"], int(cfg["MAIL_PORT"]), timeout=float(cfg["MAIL_TIMEOUT"])) as smtp:
        if cfg.get("MAIL_USE_TLS"):
            smtp.starttls()
        if cfg.get("MAIL_USERNAME"):
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
        smtp.send_message(msg)


def _write_outbox(msg: EmailMessage) -> Path:
    outbox = Path(current_app.config["MAIL_OUTBOX"])
    outbox.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = outbox / f"{utcnow():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"  # sorts by time
    path.write_bytes(bytes(msg))
    path.chmod(0o600)
    return path
