"""The response composer and the self-check step: they check shape and keep what was typed."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import FieldList, HiddenField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.discussions.forms import _WarningMixin  # the same content warnings as posts
from portal.discussions.text import clean_body
from portal.exercises.feedback_models import CONSIDER_MAX, TAKE_FORWARD_MAX, WORKED_MAX
from portal.exercises.response_models import ANSWER_MAX, RESPONSE_MAX


class ResponseForm(_WarningMixin, FlaskForm):
    body = TextAreaField("Your response", filters=[clean_body], validators=[
        DataRequired("Write your response before saving it."),
        Length(max=RESPONSE_MAX, message=f"Responses can be up to {RESPONSE_MAX:,} characters. Please shorten "
                                         "it. Your text is kept below.")],
        description="You can use Markdown: *italic*, **bold**, - lists, > quotes and [links](https://…).",
        render_kw={"rows": 12, "data-composer": "body"})
    version = HiddenField(validators=[InputRequired()])  # the version this editor opened ("0": none yet)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_warnings()


class SelfCheckForm(FlaskForm):
    answers = FieldList(TextAreaField(filters=[clean_body], validators=[
        Optional(), Length(max=ANSWER_MAX, message=f"An answer can be up to {ANSWER_MAX:,} characters. "
                                                   "Your text is kept below.")],
        render_kw={"rows": 3}), min_entries=0, max_entries=10)
    version = HiddenField(validators=[InputRequired()])

    def ask(self, questions: list[str]) -> None:
        """One answer box per question, labelled with the question itself."""
        while len(self.answers) < len(questions):
            self.answers.append_entry()
        for entry, question in zip(self.answers, questions):
            entry.label.text = question


class FeedbackForm(FlaskForm):
    """Feedback on a response. The ratings are radio buttons per criterion, read and checked by the service;
    "What worked well" is named `body` so the composer script autosaves it as a draft."""
    body = TextAreaField("What worked well", filters=[clean_body], validators=[
        Optional(), Length(max=WORKED_MAX, message=f"This part can be up to {WORKED_MAX:,} characters. Please "
                                                   "shorten it. Your words are kept below.")],
        description="Start with the strengths you noticed: this part is needed.",
        render_kw={"rows": 6, "data-composer": "body"})
    to_consider = TextAreaField("Something to consider (optional)", filters=[clean_body], validators=[
        Optional(), Length(max=CONSIDER_MAX, message=f"This part can be up to {CONSIDER_MAX:,} characters. "
                                                     "Please shorten it. Your words are kept below.")],
        render_kw={"rows": 4})
    client_token = HiddenField(validators=[Optional(), Length(max=64)])  # tells a resend from a new form


class TakeForwardForm(FlaskForm):
    take_forward = TextAreaField("What I will take forward", filters=[clean_body], validators=[
        Optional(), Length(max=TAKE_FORWARD_MAX, message=f"Your note can be up to {TAKE_FORWARD_MAX:,} characters. "
                                                         "Please shorten it. Your words are kept below.")],
        description="A few words for yourself: only you and your facilitators see this.", render_kw={"rows": 3})
