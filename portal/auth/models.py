"""People who use the portal."""
from __future__ import annotations

import secrets
from datetime import datetime
from functools import lru_cache

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, bindparam, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.dates import UTCDateTime, local_today, utcnow
from portal.extensions import db
from portal.forms import strip_filter

EMAIL_MAX = 254
NAME_MAX = 80
PRONOUNS_MAX = 40


def normal_email(value: str) -> str:
    """The one form of an address that lookups and sign-in limits both use: control characters
    dropped, spaces trimmed, lower case. Spellings that find the same account share one form."""
    return strip_filter(value or "").lower()


def new_stamp() -> str:
    return secrets.token_hex(16)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(EMAIL_MAX))
    display_name: Mapped[str] = mapped_column(String(NAME_MAX))
    pronouns: Mapped[str | None] = mapped_column(String(PRONOUNS_MAX))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_site_admin: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    # Bumped to end every session at once (password change, deactivation).
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Changed whenever a reset link is issued or used, or the email changes: older links die.
    reset_stamp: Mapped[str] = mapped_column(String(32), default=new_stamp)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Two-factor sign-in (TOTP). Required of facilitators and site admins before they see others' content.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)  # a code works once: claimed atomically
    recovery_codes: Mapped[list[RecoveryCode]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True, order_by="RecoveryCode.id")

    __table_args__ = (Index("uq_users_email_lower", func.lower(email), unique=True),)

    @property
    def has_two_factor(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return bool(self.active)

    def get_id(self) -> str:
        """The login token: id plus session version, so bumping the version logs out everywhere."""
        return f"{self.id}:{self.session_version}"

    @staticmethod
    def select_by_email(email: str):
        return select(User).where(func.lower(User.email) == normal_email(email))

    def __repr__(self) -> str:
        return f"<User {self.id}>"


@lru_cache(maxsize=1)
def _user_with_unread_count():
    """The person, with the header's unread-notifications count riding on the same query (every signed-in page
    runs it). Built once: building it on each request cost more than running it (make bench)."""
    from portal.notifications.services import unread_count_sql

    return select(User, unread_count_sql(User.id)).where(User.id == bindparam("user_id"))


def user_for_login_token(token: str) -> User | None:
    """Tokens are 'id:session_version'; an older version means the session was ended."""
    user_id, _, version = str(token).partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    row = db.session.execute(_user_with_unread_count(), {"user_id": int(user_id), "today": local_today()}).first()
    if row is None or row[0].session_version != int(version):
        return None
    user, user.unread_notifications = row[0], row[1]
    return user


class RecoveryCode(db.Model):
    """One single-use recovery code for two-factor sign-in, stored as an argon2id hash."""
    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # "legacy:" + argon2id of the SHA-256 digest, for codes issued before 0007 (see two_factor.py).
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # set once, by an atomic update
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="recovery_codes")

    def __repr__(self) -> str:
        return f"<RecoveryCode {self.id}>"
