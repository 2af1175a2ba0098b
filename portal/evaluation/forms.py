"""The answer form: questions come from content/, so fields are read by each question's key."""
from __future__ import annotations

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from portal.evaluation.models import EvaluationQuestion
from portal.evaluation.services import TEXT_LIMIT


class AnswerForm(FlaskForm):
    """Only the CSRF token is a WTForms field; `read` checks each question's answer."""


def field_name(question: EvaluationQuestion) -> str:
    return f"q_{question.key}"


def read_answers(questions: list[EvaluationQuestion], data: MultiDict) -> tuple[dict[str, object], dict[str, str],
                                                                                  dict[str, str]]:
    """(values by question key, problems by key, what was typed by key, to show it again). Every question is
    optional: an empty answer is no answer."""
    values: dict[str, object] = {}
    problems: dict[str, str] = {}
    typed: dict[str, str] = {}
    for q in questions:
        given = data.getlist(field_name(q))
        if len(given) > 1:
            problems[q.key] = "Please give one answer to this question."
            continue
        raw = given[0] if given else ""
        if q.kind == "text":
            text = raw.replace("\x00", "").replace("\r\n", "\n")
            typed[q.key] = text
            if len(text) > TEXT_LIMIT:
                problems[q.key] = (f"Please shorten this answer to {TEXT_LIMIT} characters or fewer "
                                   f"(it has {len(text)}). Your words are still here.")
            elif text.strip():
                values[q.key] = text.strip()
            continue
        if raw == "":
            continue
        if not (len(raw) <= 2 and raw.isascii() and raw.isdigit() and int(raw) < len(q.options)):
            problems[q.key] = "Please choose one of the answers shown."
            continue
        values[q.key] = int(raw)
        typed[q.key] = raw
    return values, problems, typed
