"""Small pieces shared by every feature's forms."""
from __future__ import annotations

import unicodedata


def strip_filter(value):
    """For one-line fields: drop control characters (NUL, newlines …) and surrounding space."""
    if not isinstance(value, str):
        return value
    return "".join(ch for ch in value if unicodedata.category(ch) != "Cc").strip()


class PlainSelect:
    """A <select> widget for long lists of plain choices (a cohort's learners): WTForms' own widget builds
    every <option>'s attributes through html_params, which was a sixth of the submissions page (make bench)."""

    def __call__(self, field, **kwargs):
        from markupsafe import Markup, escape
        from wtforms.widgets import html_params

        kwargs.setdefault("id", field.id)
        options = []
        for value, label, selected, _render_kw in field.iter_choices():
            mark = " selected" if selected else ""
            options.append(f'<option value="{escape(value)}"{mark}>{escape(label)}</option>')
        # Every value and label is escaped above; html_params escapes the attributes.
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>{''.join(options)}</select>")  # nosec B704
