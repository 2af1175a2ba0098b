"""Email for notifications: at once after fan-out, or in daily and weekly digests. Each email says who did
what where, with a link, and no member's words unless the recipient opted in; each carries a one-click
unsubscribe link for its kind (RFC 8058)."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import and_, case, func, literal, select, update

from portal.auth.models import User
from portal.dates import local_today, utcnow
from portal.extensions import db
from portal.links import external_url
from portal.mail import queue_mail
from portal.notifications import subjects
from portal.notifications.kinds import KINDS, sentence
from portal.notifications.models import Notification, NotificationPreference, NotificationSettings
from portal.notifications.tokens import unsubscribe_token

DIGEST_CHUNK = 500  # people per round of queries in a digest run
FOOTER = ("You get this email because of your notification settings. Change them here: {settings}\n"
          "Stop emails like this one: {unsubscribe}\n")


def mode_sql():
    """SQL: how the notification's recipient wants its kind mailed (their choice, else the kind's default;
    safety kinds always at once)."""
    defaults = case({k.name: k.default for k in KINDS.values()}, value=Notification.kind, else_="off")
    safety = [k.name for k in KINDS.values() if k.safety]
    return case((Notification.kind.in_(safety), literal("now")),
                else_=func.coalesce(NotificationPreference.mode, defaults))


def _waiting(*conditions):
    """Notifications not yet mailed, with their recipient, their mode and whether words may be included."""
    return (select(Notification, User.email, func.coalesce(NotificationSettings.include_words, False),
                   mode_sql().label("mode"))
            .join(User, User.id == Notification.user_id)
            .outerjoin(NotificationPreference, and_(NotificationPreference.user_id == Notification.user_id,
                                                    NotificationPreference.kind == Notification.kind))
            .outerjoin(NotificationSettings, NotificationSettings.user_id == Notification.user_id)
            .where(Notification.mailed_at.is_(None), User.active.is_(True), subjects.visible_sql(Notification),
                   *conditions))


def mail_at_once(event_id: int) -> int:
    """In the fan-out's transaction: mail those who want this event's kind at once; settle the rest that
    will never be mailed (off, or mailed by their own feature)."""
    now, sent = utcnow(), []
    elsewhere = [k.name for k in KINDS.values() if k.mailed_elsewhere]
    db.session.execute(update(Notification).where(Notification.event_id == event_id, Notification.kind.in_(elsewhere))
                       .values(mailed_at=now), execution_options={"synchronize_session": False})
    rows = db.session.execute(_waiting(Notification.event_id == event_id, mode_sql().in_(("now", "off"))),
                              {"today": local_today()}).all()
    about = subjects.describe([r[0] for r in rows])
    for note, email, words, mode in rows:
        if mode != "off":
            _send(email, note.user_id, note.kind, [(note, about.get((note.subject_kind, note.subject_id)))], words)
        sent.append(note.id)
    _settle(sent, now)
    return len(sent)


def _settle(ids: list[int], when) -> None:
    for start in range(0, len(ids), 900):
        db.session.execute(update(Notification).where(Notification.id.in_(ids[start:start + 900]))
                           .values(mailed_at=when), execution_options={"synchronize_session": False})


def digest(mode: str) -> int:
    """One email per person listing what they have not yet been mailed under `mode` ("daily"/"weekly") and may
    still see. Batched: a few queries per DIGEST_CHUNK people, never one per person."""
    users = db.session.scalars(select(Notification.user_id).distinct().outerjoin(
        NotificationPreference, and_(NotificationPreference.user_id == Notification.user_id,
                                     NotificationPreference.kind == Notification.kind))
        .where(Notification.mailed_at.is_(None), mode_sql() == mode).order_by(Notification.user_id)).all()
    mailed, now = 0, utcnow()
    for start in range(0, len(users), DIGEST_CHUNK):
        chunk = users[start:start + DIGEST_CHUNK]
        rows = db.session.execute(_waiting(Notification.user_id.in_(chunk), mode_sql() == mode)
                                  .order_by(Notification.user_id, Notification.id), {"today": local_today()}).all()
        about = subjects.describe([r[0] for r in rows])
        per_user: dict[int, list] = defaultdict(list)
        for note, email, words, _mode in rows:
            per_user[note.user_id].append((note, email, words))
        ids = []
        for uid, items in per_user.items():
            notes = [(n, about.get((n.subject_kind, n.subject_id))) for n, _e, _w in items]
            _send(items[0][1], uid, None, notes, items[0][2], digest=mode)
            ids.extend(n.id for n, _e, _w in items)
            mailed += 1
        _settle(ids, now)
        db.session.commit()
    return mailed


def _send(email: str, user_id: int, kind: str | None, notes: list, include_words: bool, digest: str | None = None):
    """Queue one email: a single notification (kind given) or a digest of several (kind None)."""
    lines = []
    for note, about in notes:
        line = f"- {sentence(note.kind, about)}\n  {external_url('notifications.open', notification_id=note.id)}"
        kind_ = KINDS[note.kind]
        if about is not None and about.words and kind_.show_actor and (include_words or kind_.facilitator_words):
            quoted = "\n".join("  > " + w for w in about.words.splitlines()[:12])
            line += f"\n{quoted}"
        lines.append(line)
    unsubscribe = external_url("notifications.unsubscribe", token=unsubscribe_token(user_id, kind or f"digest:{digest}"))
    if digest:
        subject = f"Your {digest} summary from the Cohort Portal: {len(notes)} new"
        intro = f"Here is what happened while you were away ({len(notes)}):\n\n"
    else:
        subject = sentence(notes[0][0].kind, notes[0][1])
        intro = ""
    body = intro + "\n\n".join(lines) + "\n\n" + FOOTER.format(
        settings=external_url("notifications.settings"), unsubscribe=unsubscribe)
    queue_mail(email, subject, body, headers={"List-Unsubscribe": f"<{unsubscribe}>",
                                              "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
