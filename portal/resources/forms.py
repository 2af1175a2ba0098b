"""Forms: adding a resource, moving one. They check shape only; the services enforce the rules."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.discussions.text import clean_body
from portal.forms import strip_filter
from portal.resources.models import DESCRIPTION_MAX, TITLE_MAX, URL_MAX


class ResourceForm(FlaskForm):
    title = StringField("Title", filters=[strip_filter], validators=[
        DataRequired("Please give the resource a title."),
        Length(max=TITLE_MAX, message=f"A title can be up to {TITLE_MAX} characters. Please shorten it.")])
    description = TextAreaField("Short description (optional)", filters=[clean_body], validators=[
        Optional(), Length(max=DESCRIPTION_MAX,
                           message=f"A description can be up to {DESCRIPTION_MAX} characters. Please shorten it.")],
        description="A sentence or two on what it is and why it may help.", render_kw={"rows": 3})
    url = StringField("A link", filters=[strip_filter], validators=[
        Optional(), Length(max=URL_MAX, message=f"A link can be up to {URL_MAX} characters.")],
        description="A web address starting with https:// or http://. Leave it empty to add a file instead.")
    upload = FileField("Or a file", description="PDF, Word (.docx), OpenDocument (.odt) or PowerPoint (.pptx), "
                                                "up to 20 MB.",
                       render_kw={"accept": ".pdf,.docx,.odt,.pptx"})
    client_token = HiddenField()


class MoveForm(FlaskForm):
    direction = HiddenField(validators=[DataRequired()])
