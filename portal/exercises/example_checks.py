"""Check an exercise's example: a made-up response with its reference feedback, in the feedback form's shape.

    example:
      response: |              (Markdown: what a fictional learner wrote)
      what_worked_well: |      (Markdown)
      ratings:                 (every criterion of the exercise, by name)
        "Mutual": {step: "strong", why: "one line"}
      something_to_consider: | (Markdown, optional)
"""
from __future__ import annotations

from typing import Any

PARTS = ("response", "what_worked_well", "ratings", "something_to_consider")
REQUIRED = ("response", "what_worked_well", "ratings")
RESPONSE_MAX, WORKED_MAX, CONSIDER_MAX, WHY_MAX = 4000, 2000, 2000, 300
NONE = {"example_response_source": None, "example_feedback": None}


def read_example(f, value: Any, criteria: list[dict]) -> dict[str, Any]:
    """The example's source and reference feedback, or None for both when there is none (or it is wrong:
    the problems are reported with their lines and the whole load stops)."""
    if value is None:
        return dict(NONE)
    where = ("example",)
    if not isinstance(value, dict):
        f.problem(where, "field 'example' must have a 'response', 'what_worked_well' and 'ratings' "
                         "(and may have 'something_to_consider')")
        return dict(NONE)
    for key in sorted(set(value) - set(PARTS), key=str):
        f.problem((*where, key), f"the example has an unknown part '{key}'")
    for key in REQUIRED:
        if key not in value:
            hint = " (what worked well in it, as the reference feedback says)" if key == "what_worked_well" else ""
            f.problem(where, f"the example is missing '{key}'{hint}")
    response = f.text(value.get("response"), (*where, "response"), "the example's response", RESPONSE_MAX)
    worked = (f.text(value["what_worked_well"], (*where, "what_worked_well"), "the example's 'what_worked_well'",
                     WORKED_MAX) if "what_worked_well" in value else "")
    consider = (f.text(value["something_to_consider"], (*where, "something_to_consider"),
                       "the example's 'something_to_consider'", CONSIDER_MAX)
                if value.get("something_to_consider") is not None else None)
    ratings, why = _ratings(f, value.get("ratings"), (*where, "ratings"), criteria) if "ratings" in value else ({}, {})
    return {"example_response_source": response,
            "example_feedback": {"what_worked": worked, "ratings": ratings, "why": why, "to_consider": consider}}


def _ratings(f, given: Any, where: tuple, criteria: list[dict]) -> tuple[dict[str, str], dict[str, str]]:
    by_name = {c["name"]: c for c in criteria}
    if not isinstance(given, dict):
        f.problem(where, "the example's 'ratings' must give a step and a why for each criterion")
        return {}, {}
    ratings, why = {}, {}
    for name, rating in given.items():
        here = (*where, name)
        criterion = by_name.get(name)
        if criterion is None:
            f.problem(here, f"the example rates '{name}', which is not one of this exercise's criteria "
                            f"({', '.join(by_name)})")
            continue
        if not isinstance(rating, dict) or set(rating) != {"step", "why"}:
            f.problem(here, f"the example's rating of '{name}' needs a 'step' and a one-line 'why'")
            continue
        labels = [s["label"] for s in criterion["steps"]]
        if rating["step"] not in labels:
            f.problem((*here, "step"), f"the example rates '{name}' as {rating['step']!r}, which is not one of "
                                       f"its steps ({', '.join(labels)})")
        else:
            ratings[criterion["key"]] = rating["step"]
        line = f.text(rating["why"], (*here, "why"), f"the why of the example's rating of '{name}'", WHY_MAX)
        if "\n" in line:
            f.problem((*here, "why"), f"the why of the example's rating of '{name}' must be one line")
        why[criterion["key"]] = line
    missing = [name for name in by_name if name not in given]
    if missing:
        f.problem(where, f"the example's ratings leave out {', '.join(missing)}")
    return ratings, why
