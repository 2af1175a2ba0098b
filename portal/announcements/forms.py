"""The announcement form: it checks shape and keeps what was typed; the service has the last word."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from portal.announcements.models import BODY_MAX, TITLE_MAX
from portal.announcements.services import BODY_TOO_LONG, TITLE_TOO_LONG
from portal.discussions.text import clean_body
from portal.forms import strip_filter


class AnnouncementForm(FlaskForm):
    title = StringField("Title", filters=[strip_filter], validators=[
        DataRequired("Give your announcement a short title, so people know what it is about."),
        Length(max=TITLE_MAX, message=TITLE_TOO_LONG)],
        description="A few words people see first, in the portal and as the email's subject.")
    body = TextAreaField("Your announcement", filters=[clean_body], validators=[
        DataRequired("Write your announcement before posting it."), Length(max=BODY_MAX, message=BODY_TOO_LONG)],
        description="Everyone in the cohort sees it at the top of the cohort's home page until they close it, "
                    "and it is emailed to them unless they chose otherwise. You can use Markdown: *italic*, "
                    "**bold**, - lists and [links](https://…).",
        render_kw={"rows": 8})
    client_token = HiddenField()
