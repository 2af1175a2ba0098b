"""Forms: handing in work, due dates and extensions, marking. They check shape only."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateTimeLocalField, HiddenField, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.assignments.services import TEXT_MAX
from portal.discussions.text import clean_body
from portal.forms import PlainSelect

FEEDBACK_MAX = 20_000


class SubmitForm(FlaskForm):
    text = TextAreaField("Your work", filters=[clean_body], validators=[Optional(), Length(max=TEXT_MAX)],
                         description="Write here, or upload a file below, or both.",
                         render_kw={"rows": 20, "data-word-count": "true", "data-composer-body": "true"})
    version = HiddenField()  # the last version handed in when the form opened: names its autosaved draft
    upload = FileField("A file with your work (optional)",
                       description="PDF, Word (.docx) or OpenDocument (.odt), up to 10 MB.",
                       render_kw={"accept": ".pdf,.docx,.odt"})


class DueForm(FlaskForm):
    due_at = DateTimeLocalField("Due date and time", format="%Y-%m-%dT%H:%M",
                                validators=[InputRequired("Please choose a date and time.")])


class ExtensionForm(FlaskForm):
    learner_id = SelectField("Learner", coerce=int, validate_choice=True, widget=PlainSelect())
    due_at = DateTimeLocalField("Their new due date and time", format="%Y-%m-%dT%H:%M",
                                validators=[InputRequired("Please choose a date and time.")])


class MarkForm(FlaskForm):
    feedback = TextAreaField("Your feedback", filters=[clean_body], validators=[
        DataRequired("Please write some feedback."), Length(max=FEEDBACK_MAX)], render_kw={"rows": 10})
    outcome = RadioField("Outcome", validators=[InputRequired("Please choose an outcome.")])
    next_step = RadioField("Before it is released", default="release", choices=[
        SelectChoice("release", "Release it to the learner now"),
        SelectChoice("moderate", "Ask a second facilitator to moderate the outcome first")],
        validators=[InputRequired()])


class ModerateForm(FlaskForm):
    outcome = RadioField("Outcome after moderation", validators=[InputRequired("Please choose an outcome.")])


class ReleaseForm(FlaskForm):
    confirm = HiddenField(default="yes")
