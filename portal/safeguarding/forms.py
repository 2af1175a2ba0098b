"""Forms of the safeguarding record, check-ins and the safety-word list: shape only, never saving."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.discussions.text import clean_body
from portal.forms import strip_filter
from portal.safeguarding.models import (DETAILS_MAX, MESSAGE_MAX, NOTE_MAX, OUTCOME_MAX, PHRASE_LIST_MAX,
                                        SUMMARY_MAX)


def _limit(limit: int, what: str) -> Length:
    return Length(max=limit, message=f"{what} can be up to {limit:,} characters. Please shorten it: "
                                     "your text is kept below.")


class ConcernForm(FlaskForm):
    member = SelectField("Who are you worried about?", coerce=int, validate_choice=False,
                         validators=[InputRequired("Please choose the member the concern is about.")])
    summary = StringField("What worries you, in a line", filters=[strip_filter],
                          validators=[DataRequired("Please write what worries you."),
                                      _limit(SUMMARY_MAX, "This line")])
    details = TextAreaField("What happened (optional)", filters=[clean_body], render_kw={"rows": 6},
                            validators=[Optional(), _limit(DETAILS_MAX, "What happened")],
                            description="Facts first: what was said or seen, and when. Only the cohort's "
                                        "facilitators and site administrators can read this.")
    follow_up_on = DateField("Follow up on (optional)", validators=[Optional()],
                             description="The date you want to check on this again. It shows in your list "
                                         "and in the moderation queue when it comes.")
    kind = HiddenField(filters=[strip_filter])
    item_id = HiddenField(filters=[strip_filter])
    client_token = HiddenField(validators=[Optional(), Length(max=64)])


class ActionForm(FlaskForm):
    done_on = DateField("When", validators=[Optional()])
    note = TextAreaField("What was done", filters=[clean_body], render_kw={"rows": 4},
                         validators=[DataRequired("Please write what was done."), _limit(NOTE_MAX, "The note")])
    follow_up_on = DateField("Next follow-up (optional)", validators=[Optional()],
                             description="Leave empty when no follow-up is needed.")
    client_token = HiddenField(validators=[Optional(), Length(max=64)])


class CloseForm(FlaskForm):
    outcome = TextAreaField("Outcome", filters=[clean_body], render_kw={"rows": 4},
                            validators=[DataRequired("Please write the outcome before closing the concern."),
                                        _limit(OUTCOME_MAX, "The outcome")])


class ReopenForm(FlaskForm):
    reason = TextAreaField("Why reopen it (optional)", filters=[clean_body], render_kw={"rows": 2},
                           validators=[Optional(), _limit(NOTE_MAX, "The reason")])


class LinkItemForm(FlaskForm):
    kind = SelectField("Kind of item", choices=[SelectChoice("post", "Post"), SelectChoice("thread", "Thread"),
                                                SelectChoice("response", "Exercise response"),
                                                SelectChoice("feedback", "Feedback")])
    item_id = StringField("Its number", filters=[strip_filter],
                          validators=[DataRequired("Please give the item's number."), Length(max=12)],
                          description="The number at the end of its web address.")


class MessageForm(FlaskForm):
    body = TextAreaField("Your message", filters=[clean_body], render_kw={"rows": 5},
                         validators=[DataRequired("Please write your message before sending it."),
                                     _limit(MESSAGE_MAX, "A message")])
    client_token = HiddenField(validators=[Optional(), Length(max=64)])


class PhraseListForm(FlaskForm):
    phrases = TextAreaField("Safety words and phrases, one a line", render_kw={"rows": 24, "spellcheck": "false"},
                            validators=[DataRequired("The list can't be empty: it needs at least one phrase."),
                                        Length(max=PHRASE_LIST_MAX,
                                               message=f"The list can be up to {PHRASE_LIST_MAX:,} characters.")])
