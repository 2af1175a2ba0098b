"""The confirmation form of an action that goes into the audit log, with the reason recorded beside it."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from portal.audit.models import DETAIL_MAX
from portal.discussions.text import clean_body


class ConfirmWithReasonForm(FlaskForm):
    reason = TextAreaField(
        "Reason (optional)", filters=[clean_body],
        validators=[Optional(),
                    Length(max=DETAIL_MAX, message=f"Keep the reason to {DETAIL_MAX:,} characters or fewer")],
        description="Kept in the audit log, so other administrators know why. Site administrators can read it.",
        render_kw={"rows": 3})
