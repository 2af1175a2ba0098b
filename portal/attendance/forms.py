"""The attendance register form. It validates shape; the service checks who and what."""
from __future__ import annotations

import re

from flask import request
from flask_wtf import FlaskForm

# Radio group names are `status-<membership id>`: ASCII digits only (int() would take other scripts' digits).
STATUS_KEY = re.compile(r"status-([0-9]{1,12})")
CHOICES = (("present", "Present"), ("apologies", "Sent apologies"), ("absent", "Absent"))
CLEAR = ("unrecorded", "Not recorded")  # offered to people who have a mark, to take it back
NOT_OUR_FORM = ("This form was not the one we sent, so nothing has been saved. "
                "Refresh the page and try again.")


class AttendanceForm(FlaskForm):
    """A CSRF token plus one radio group for each learner, read from the posted keys.

    After `validate()`, `statuses` is {membership id: status} for every learner given an answer
    (a group left unanswered is simply absent from the post, and so from the dict).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.statuses: dict[int, str] = {}

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        self.statuses, well_formed = {}, True
        for key in request.form:
            if not key.startswith("status-"):
                continue
            match, values = STATUS_KEY.fullmatch(key), request.form.getlist(key)
            if match is None or len(values) != 1:
                well_formed = False
                continue
            if values[0]:
                self.statuses[int(match.group(1))] = values[0]
        if not well_formed:
            self.form_errors.append(NOT_OUR_FORM)
        return ok and well_formed
