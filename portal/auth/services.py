"""Account use cases. Each takes plain values, enforces the rules and commits once."""
from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from portal.auth.models import User, new_stamp
from portal.auth.passwords import hash_password, needs_rehash, verify_password
from portal.auth.tokens import make_reset_token, user_for_reset_token
from portal.dates import utcnow
from portal.errors import RuleViolation
from portal.extensions import db
from portal.links import external_url
from portal.mail import send_mail


def find_user_by_email(email: str) -> User | None:
    return db.session.scalars(User.select_by_email(email)).first()


def create_user(email: str, display_name: str, password: str, *, is_site_admin: bool = False) -> User:
    """Add an account; the email must not be in use in any letter case."""
    if find_user_by_email(email) is not None:
        raise RuleViolation("An account with that email address already exists.")
    user = User(email=email.strip(), display_name=display_name.strip(),
                password_hash=hash_password(password), is_site_admin=is_site_admin)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:  # another request made it since the check above: the unique index decides
        db.session.rollback()
        raise RuleViolation("An account with that email address already exists.") from None
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user these credentials belong to, or None; the same work is done either way."""
    user = find_user_by_email(email)
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.commit()
    return user


class PasswordUnchanged(RuleViolation):
    """The new password is the one already in use."""


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Set a new password, end every other session and outstanding reset link, and tell the person."""
    if not verify_password(user.password_hash, current_password):
        raise RuleViolation(WRONG_PASSWORD)
    if verify_password(user.password_hash, new_password):
        raise PasswordUnchanged("This is the same as your current password. Choose a different one, "
                                "or leave this page to keep the one you have.")
    _set_password(user, new_password)
    db.session.commit()
    send_mail(user.email, "Your Cohort Portal password was changed", _NOTICE_MAIL.format(
        name=user.display_name, what="the password for your Cohort Portal account was changed"))


def turn_off_two_factor(user: User, current_password: str) -> None:
    """Only with the password typed again: a session left open on a shared computer is not enough."""
    from portal.auth import two_factor

    if not verify_password(user.password_hash, current_password):
        raise RuleViolation(WRONG_PASSWORD)
    two_factor.disable(user)
    send_mail(user.email, "Two-factor sign-in was turned off", _NOTICE_MAIL.format(
        name=user.display_name, what="two-factor sign-in was turned off for your Cohort Portal account"))


def request_password_reset(email: str) -> None:
    """Email a reset link if the address has an active account; say nothing either way."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return
    user.reset_stamp = new_stamp()  # only the newest link works
    db.session.commit()
    link = external_url("auth.reset_password", token=make_reset_token(user))
    send_mail(user.email, "Reset your Cohort Portal password", _RESET_MAIL.format(
        name=user.display_name, link=link))


def reset_password(token: str, new_password: str) -> User:
    """Use a reset link once: set the password and end every session."""
    user = user_for_reset_token(token)
    if user is None:
        raise RuleViolation(INVALID_RESET_LINK)
    # Claim the link in one conditional UPDATE: of several requests using it at once, one wins.
    stamp, password_hash = user.reset_stamp, hash_password(new_password)
    won = db.session.execute(
        update(User).where(User.id == user.id, User.reset_stamp == stamp)
        .values(password_hash=password_hash, session_version=User.session_version + 1, reset_stamp=new_stamp())
        .execution_options(synchronize_session=False)).rowcount == 1
    db.session.commit()
    if not won:
        raise RuleViolation(INVALID_RESET_LINK)
    db.session.refresh(user)
    return user


def end_all_sessions(user: User) -> None:
    user.session_version += 1
    db.session.commit()


def update_profile(user: User, display_name: str, pronouns: str | None) -> None:
    user.display_name = display_name
    user.pronouns = pronouns or None
    db.session.commit()


def _set_password(user: User, new_password: str) -> None:
    user.password_hash = hash_password(new_password)
    user.session_version += 1
    user.reset_stamp = new_stamp()


WRONG_PASSWORD = "Your current password is not right. Check it and try again."
INVALID_RESET_LINK = ("This link has expired or has already been used. "
                      "Links work once, for one hour. You can ask for a new one.")

_RESET_MAIL = """Hello {name},

Someone asked to reset the password for your Cohort Portal account.
If it was you, open this link within the next hour to choose a new password:

{link}

The link works once. If you did not ask for this, you can ignore this email:
your password stays as it is.

The Cohort Portal
"""

# Tells the person what changed and when to worry; never a password, code or link that signs anyone in.
_NOTICE_MAIL = """Hello {name},

We're letting you know that {what}.

If this was you, there is nothing more to do.

If this wasn't you, please reset your password straight away from the sign-in page
("Forgot your password?") and tell your facilitator or a site administrator.

The Cohort Portal
"""
