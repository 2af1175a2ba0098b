"""Accepting the agreement; writing ground rules."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

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
                    "“- ”. You will see a preview, and what changed, before anything is saved.",
        render_kw={"rows": 12})
    change = RadioField(
        "Does everyone need to accept the ground rules again?", validators=[Optional()],
        choices=[SelectChoice("renew", "Yes: this changes what the group agrees to. Everyone is shown what "
                                       "changed and asked to accept again."),
                 SelectChoice("correction", "No: a small correction, such as a typo or clearer wording. "
                                            "Members are not asked again; the change is recorded as a correction.")])
    previewed = HiddenField()  # fingerprint of the text shown in the preview
    preview = SubmitField("Preview changes")
    save = SubmitField("Save ground rules")

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and self.save.data and self.change.data not in ("renew", "correction"):
            self.change.errors.append("Choose whether everyone needs to accept the ground rules again")
            return False
        return ok
