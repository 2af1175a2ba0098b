"""Forms for signing in and looking after an account. They validate shape; they never save."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_login import current_user
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, Optional, ValidationError

from portal.auth.models import EMAIL_MAX, NAME_MAX, PRONOUNS_MAX
from portal.auth.passwords import PASSWORD_MAX, PASSWORD_MIN, weakness
from portal.forms import strip_filter

EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.org"


def email_field(label: str = "Email address") -> EmailField:
    return EmailField(label, filters=[strip_filter], validators=[
        DataRequired("Enter your email address"),
        Length(max=EMAIL_MAX, message=f"Email address must be {EMAIL_MAX} characters or fewer"),
        Email(EMAIL_FORMAT),
    ], render_kw={"autocomplete": "email", "spellcheck": "false"})


def hard_to_guess(form, field) -> None:
    """Refuse common and easily guessed passwords (after the length check has passed)."""
    if field.errors or not field.data:
        return
    known = [getattr(form, "email", None), getattr(form, "display_name", None)]
    inputs = [f.data for f in known if f is not None and isinstance(f.data, str)]
    if getattr(current_user, "is_authenticated", False):
        inputs += [current_user.email, current_user.display_name]
    problem = weakness(field.data, user_inputs=inputs)
    if problem:
        raise ValidationError(problem)


def new_password_field(label: str) -> PasswordField:
    return PasswordField(label, validators=[
        InputRequired("Enter a new password"),
        Length(min=PASSWORD_MIN, max=PASSWORD_MAX,
               message=f"Password must be between {PASSWORD_MIN} and {PASSWORD_MAX} characters"),
        hard_to_guess,
    ], render_kw={"autocomplete": "new-password"},
        description=f"At least {PASSWORD_MIN} characters. A few unrelated words make a strong password.")


def current_password_field() -> PasswordField:
    return PasswordField("Current password", validators=[
        InputRequired("Enter your current password"),
        Length(max=PASSWORD_MAX, message=f"Password must be {PASSWORD_MAX} characters or fewer"),
    ], render_kw={"autocomplete": "current-password"})


def confirm_field(label: str = "Confirm password") -> PasswordField:
    """The same password again. New accounts use the default; changing a password says "new"."""
    return PasswordField(label, validators=[
        InputRequired(f"Enter the {'new ' if 'new' in label else ''}password again"),
        EqualTo("password", message="The two passwords do not match. Enter the same password twice."),
    ], render_kw={"autocomplete": "new-password"})


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField("Password", validators=[
        InputRequired("Enter your password"),
        Length(max=PASSWORD_MAX, message=f"Password must be {PASSWORD_MAX} characters or fewer"),
    ], render_kw={"autocomplete": "current-password"})
    remember = BooleanField("Keep me signed in on this device for 14 days")


class ForgotPasswordForm(FlaskForm):
    email = email_field()


class ResetPasswordForm(FlaskForm):
    password = new_password_field("New password")
    confirm = confirm_field("Confirm new password")


class ChangePasswordForm(FlaskForm):
    current_password = current_password_field()
    password = new_password_field("New password")
    confirm = confirm_field("Confirm new password")


class TurnOffTwoFactorForm(FlaskForm):
    current_password = current_password_field()


class ProfileForm(FlaskForm):
    display_name = StringField("Your name, as others in your cohort will see it", filters=[strip_filter],
                               validators=[
                                   DataRequired("Enter the name you would like others to see"),
                                   Length(max=NAME_MAX, message=f"Name must be {NAME_MAX} characters or fewer"),
                               ], render_kw={"autocomplete": "name"})
    pronouns = StringField("Pronouns (optional)", filters=[strip_filter], validators=[
        Optional(), Length(max=PRONOUNS_MAX, message=f"Pronouns must be {PRONOUNS_MAX} characters or fewer"),
    ], description="For example, she/her, he/him or they/them.")
