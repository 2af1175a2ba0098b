"""Composer forms: they check shape and keep what was typed; the services enforce the rules."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from portal.discussions.models import BODY_MAX, TITLE_MAX, WARNING_MAX
from portal.discussions.text import clean_body, content_warning_choices
from portal.forms import strip_filter

OTHER = "other"


def _body_field(label: str) -> TextAreaField:
    return TextAreaField(label, filters=[clean_body], validators=[
        DataRequired("Write something before posting."),
        Length(max=BODY_MAX, message=f"Posts can be up to {BODY_MAX:,} characters. Please shorten it or split it "
                                     "into two posts. Your text is kept below.")],
        description="You can use Markdown: *italic*, **bold**, - lists, > quotes and [links](https://…).",
        render_kw={"rows": 8, "data-composer": "body"})


class _WarningMixin:
    warning_choice = SelectField("Content warning (optional)", validators=[Optional()], validate_choice=False,
                                 description="If your post talks about something some people may find hard to "
                                             "read, add a warning. Readers then choose whether to open it.")
    warning_other = StringField("Your own words for the warning", filters=[strip_filter], validators=[
        Optional(), Length(max=WARNING_MAX, message=f"A warning can be up to {WARNING_MAX} characters")])

    def setup_warnings(self) -> None:
        self.warning_choice.choices = ([SelectChoice("", "No content warning")]
                                       + [SelectChoice(w, w) for w in content_warning_choices()]
                                       + [SelectChoice(OTHER, "Something else (describe it below)")])

    def validate_warning_choice(self, field) -> None:
        allowed = {"", OTHER, *content_warning_choices()}
        if field.data not in allowed:
            raise ValidationError("Choose a warning from the list, or “Something else”.")
        if field.data == OTHER and not (self.warning_other.data or "").strip():
            raise ValidationError("Describe the content warning in your own words, or choose one from the list.")

    @property
    def content_warning(self) -> str | None:
        if self.warning_choice.data == OTHER:
            return self.warning_other.data or None
        return self.warning_choice.data or None

    def fill_warning(self, warning: str | None) -> None:
        if not warning:
            return
        if warning in content_warning_choices():
            self.warning_choice.data = warning
        else:
            self.warning_choice.data, self.warning_other.data = OTHER, warning


class ThreadForm(_WarningMixin, FlaskForm):
    title = StringField("Title", filters=[strip_filter], validators=[
        DataRequired("Give your thread a title."),
        Length(max=TITLE_MAX, message=f"A title can be up to {TITLE_MAX} characters.")])
    body = _body_field("What would you like to say?")
    client_token = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_warnings()


class ReplyForm(_WarningMixin, FlaskForm):
    body = _body_field("Your reply")
    reply_to = HiddenField()
    client_token = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_warnings()


class EditForm(_WarningMixin, FlaskForm):
    body = _body_field("Your post")
    version = HiddenField(validators=[InputRequired()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_warnings()


class ThreadSettingsForm(FlaskForm):
    pinned = BooleanField("Pin to the top of the list")
    locked = BooleanField("Close to new replies")
    share_first = BooleanField("Share first: learners see others' replies after posting their own")


class DraftForm(FlaskForm):
    key = StringField(validators=[InputRequired(), Length(max=80)])
    title = StringField(validators=[Optional(), Length(max=TITLE_MAX)])
    body = TextAreaField(validators=[Optional(), Length(max=BODY_MAX * 2)])
    warning = StringField(validators=[Optional(), Length(max=WARNING_MAX)])
    token = StringField(validators=[Optional(), Length(max=64)])  # the composer's client token or post version
