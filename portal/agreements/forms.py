"""Accepting the agreement; writing ground rules."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from portal.agreements.models import GROUND_RULES_MAX
from portal.discussions.text import clean_body


class AcceptForm(FlaskForm):
    version_id = HiddenField(validators=[InputRequired()])
    agree = BooleanField("I have read this agreement and I will keep to it",
                         validators=[DataRequired("Tick the box to show you agree, or come back when you are ready")])


class GroundRulesForm(FlaskForm):
    ground_rules = TextAreaField(
        "Ground rules for this cohort", filters=[clean_body],
        validators=[Length(max=GROUND_RULES_MAX,
                           message=f"Ground rules must be {GROUND_RULES_MAX:,} characters or fewer")],
        description="Written with the group in the first session. Markdown works: a list starts each line with "
                    "“- ”. When you save a change, everyone is asked to read and accept the agreement again.",
        render_kw={"rows": 12})
