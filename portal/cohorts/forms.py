"""Forms for creating cohorts, their timetables and facilitators. They validate shape; they never save."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, FieldList, FormField, HiddenField, IntegerField, SelectField, StringField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.auth.forms import email_field
from portal.cohorts.models import COHORT_NAME_MAX, COHORT_STATUSES, LOCATION_MAX
from portal.cohorts.opening_models import MINUTES_MAX as _MAX, MINUTES_MIN as _MIN, REASON_MAX as _REASON
from portal.forms import strip_filter

STATUS_CHOICES = [SelectChoice(s, s.capitalize()) for s in COHORT_STATUSES]


class CohortForm(FlaskForm):
    name = StringField("Cohort name", filters=[strip_filter], validators=[
        DataRequired("Enter a name for the cohort"),
        Length(max=COHORT_NAME_MAX, message=f"Name must be {COHORT_NAME_MAX} characters or fewer")],
        description="Learners see this name. For example, “Spring 2027, Leeds”.")
    start_date = DateField("Start date", validators=[Optional()],
                           description="The date of the first session. You can leave this for now.")
    status = SelectField("Status", choices=STATUS_CHOICES, validators=[InputRequired()],
                         description="Archived cohorts are read-only for everyone.")


class AddFacilitatorForm(FlaskForm):
    email = email_field("Facilitator's email address")


class TimetableRowForm(FlaskForm):
    class Meta:
        csrf = False  # the outer form carries the token

    entry_id = HiddenField()
    day = DateField("Date", validators=[Optional()])
    at = TimeField("Start time", validators=[Optional()])
    location = StringField("Place or online link", filters=[strip_filter], validators=[
        Optional(), Length(max=LOCATION_MAX, message=f"Place must be {LOCATION_MAX} characters or fewer")])


class TimetableForm(FlaskForm):
    rows = FieldList(FormField(TimetableRowForm), min_entries=0, max_entries=60)


class MemberActionForm(FlaskForm):
    action = SelectField(choices=[SelectChoice("suspend", "Pause (read-only)"), SelectChoice("remove", "Remove"),
                                  SelectChoice("restore", "Restore")], validators=[InputRequired()])


class OpenCohortForm(FlaskForm):
    """Open a cohort to read it as a site administrator: why, and for how long (short, capped)."""

    reason = StringField("Why do you need to read this cohort?", filters=[strip_filter], validators=[
        DataRequired("Please say why: the cohort's facilitators will see it"),
        Length(max=_REASON, message=f"Please keep the reason to {_REASON} characters or fewer")],
        description="For example: “A safeguarding concern was raised by phone and no facilitator is available.” "
                    "The cohort's facilitators see this, with your name and until when.")
    minutes = IntegerField("For how many minutes?", default=30, validators=[
        InputRequired("Please say for how many minutes"),
        NumberRange(min=_MIN, max=_MAX, message=f"Choose between {_MIN} and {_MAX} minutes")],
        description=f"Between {_MIN} and {_MAX} minutes. You can end it sooner.")
    next = HiddenField()
