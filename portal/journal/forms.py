"""Journal forms: they check shape and keep what was typed; the services enforce the rules."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.discussions.models import TITLE_MAX
from portal.discussions.text import clean_body
from portal.forms import strip_filter
from portal.journal.models import ENTRY_MAX, REPLY_MAX


class EntryForm(FlaskForm):
    title = StringField("Title (optional)", filters=[strip_filter], validators=[
        Optional(), Length(max=TITLE_MAX, message=f"A title can be up to {TITLE_MAX} characters.")])
    session = SelectField("Session (optional)", validate_choice=False,
                          description="Which session this entry is about, if any.")
    body = TextAreaField("Your entry", filters=[clean_body], validators=[
        DataRequired("Write something before saving."),
        Length(max=ENTRY_MAX, message=f"Entries can be up to {ENTRY_MAX:,} characters. Please shorten it or "
                                      "split it into two entries. Your text is kept below.")],
        description="Only you can read this. You can use Markdown: *italic*, **bold**, - lists and ## headings.",
        render_kw={"rows": 14, "data-composer": "body"})
    client_token = HiddenField()
    version = HiddenField()


class ReplyForm(FlaskForm):
    body = TextAreaField("Your reply", filters=[clean_body], validators=[
        DataRequired("Write something before sending."),
        Length(max=REPLY_MAX, message=f"A reply can be up to {REPLY_MAX:,} characters.")],
        description="The author will see this. You can reply once.", render_kw={"rows": 6})


class CopyEntryForm(FlaskForm):
    space = SelectField("Which discussion", validate_choice=False)
    title = StringField("Title of the new thread", filters=[strip_filter], validators=[
        Optional(), Length(max=TITLE_MAX, message=f"A title can be up to {TITLE_MAX} characters.")],
        description="Leave it as it is to use your entry's title.")
    thread = SelectField("Or reply in one of your cohort's threads (optional)", validate_choice=False)
    client_token = HiddenField()
