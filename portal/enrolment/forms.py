"""Enrolment forms. They check shape; the services apply the rules."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.auth.forms import confirm_field, email_field, new_password_field
from portal.auth.models import NAME_MAX
from portal.forms import strip_filter

MAX_CSV_BYTES = 1024 * 1024


def _name_field(label: str, required: bool) -> StringField:
    checks = [DataRequired("Enter the name you would like others to see")] if required else [Optional()]
    return StringField(label, filters=[strip_filter], validators=[
        *checks, Length(max=NAME_MAX, message=f"Name must be {NAME_MAX} characters or fewer")],
        render_kw={"autocomplete": "name"})


class InviteForm(FlaskForm):
    name = _name_field("Their name (optional)", required=False)
    email = email_field("Their email address")
    role = SelectField("Invite them as", choices=[SelectChoice("learner", "Learner"),
                                                  SelectChoice("facilitator", "Facilitator")], default="learner")


class CsvUploadForm(FlaskForm):
    file = FileField("CSV file", validators=[
        FileRequired("Choose a CSV file to upload"),
        FileAllowed(["csv", "txt"], "The file must be a CSV (.csv), saved from a spreadsheet")],
        description="One person a row: their name, then their email address. A header row is fine. "
                    "Up to 5,000 people and 1 MB.")


class InviteLinkForm(FlaskForm):
    days = IntegerField("Days the link works for", default=14, validators=[
        InputRequired("Enter how many days the link should work for"),
        NumberRange(1, 60, "Choose between 1 and 60 days")])
    max_uses = IntegerField("How many people can use it", default=20, validators=[
        InputRequired("Enter how many people can join with the link"),
        NumberRange(1, 100, "Choose between 1 and 100 people")])


class NewAccountForm(FlaskForm):
    display_name = _name_field("Your name, as others in your cohort will see it", required=True)
    password = new_password_field("Choose a password")
    confirm = confirm_field()


class JoinEmailForm(FlaskForm):
    email = email_field()
