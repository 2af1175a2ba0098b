"""Read and check content/exercises/: every problem names its file, line and field; nothing is kept if any."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from portal.exercises.example_checks import read_example
from portal.course.lines import Where, front_matter_lines, line_of, yaml_lines
from portal.exercises.models import DEFAULT_REVIEWERS, MAX_REVIEWERS, MIN_REVIEWERS, MODES, STEPS

DEFAULTS_FILE = "defaults.yml"
FIELDS = {"session", "slug", "title", "mode", "reviewers_per_response", "anonymous_reviewers", "give_before_get",
          "responses_due_days", "feedback_due_days", "self_check", "criteria", "example"}
REQUIRED = ("session", "slug", "title", "mode", "anonymous_reviewers", "responses_due_days", "feedback_due_days")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
GUIDANCE = re.compile(r"^## Guidance[ \t]*$", re.M)
DUE_MIN, DUE_MAX = -14, 60
MAX_CRITERIA = 6


class _File:
    """Problems in one file, each placed at the line of the field it is about."""

    def __init__(self, check, path: Path, lines: dict[Where, int]) -> None:
        self.check, self.name, self.lines = check, check.name(path), lines

    def problem(self, where: Where, message: str) -> None:
        line = line_of(self.lines, where)
        self.check.problems.append(f"{self.name}{f', line {line}' if line else ''}: {message}")

    def text(self, value: Any, where: Where, label: str, limit: int) -> str:
        if not isinstance(value, str) or not value.strip():
            self.problem(where, f"{label} must be non-empty text")
            return ""
        if len(value) > limit:
            self.problem(where, f"{label} is longer than {limit} characters")
        return value.strip()

    def flag(self, meta: dict, key: str) -> bool:
        value = meta.get(key, False)
        if not isinstance(value, bool):
            self.problem((key,), f"field '{key}' must be true or false (found {value!r})")
            return False
        return value

    def whole(self, meta: dict, key: str, low: int, high: int, unit: str) -> int | None:
        value = meta.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            self.problem((key,), f"field '{key}' must be a whole number of {unit} from {low} to {high} "
                                 f"(found {value!r})")
            return None
        return value


def criterion_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def read_exercises(check, folder: Path, session_numbers: set[int]) -> list[dict[str, Any]]:
    """Every exercise file in the folder, checked; problems go to the course's checker."""
    if not folder.is_dir():
        return []
    defaults = _read_defaults(check, folder / DEFAULTS_FILE)
    exercises: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for path in sorted(folder.glob("*.md")):
        parsed = check.read(path)
        if parsed is None:
            continue
        meta, body = parsed
        f = _File(check, path, front_matter_lines(path.read_text(encoding="utf-8")))
        exercise = _read_exercise(f, meta, body, defaults, session_numbers)
        slug = exercise["slug"]
        if slug and slug in seen:
            f.problem(("slug",), f"slug '{slug}' is also used by {seen[slug]}")
        seen.setdefault(slug, f.name)
        exercises.append(exercise)
    counts: dict[Any, int] = {}
    for exercise in exercises:  # file order within each session
        exercise["position"] = counts[exercise["session"]] = counts.get(exercise["session"], -1) + 1
    return exercises


def _read_defaults(check, path: Path) -> dict[str, Any]:
    name = check.name(path)
    if not path.is_file():
        check.problems.append(f"{name}: file is missing (it holds the default criteria and self-check questions)")
        return {"criteria": [], "self_check_questions": []}
    try:
        text = path.read_bytes().decode("utf-8")
        data = yaml.safe_load(text)
    except UnicodeDecodeError:
        check.problems.append(f"{name}: is not UTF-8 text")
        return {"criteria": [], "self_check_questions": []}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        check.problems.append(f"{name}{f', line {mark.line + 1}' if mark else ''}: is not valid YAML")
        return {"criteria": [], "self_check_questions": []}
    f = _File(check, path, yaml_lines(text))
    if not isinstance(data, dict) or set(data) != {"criteria", "self_check_questions"}:
        f.problem((), "must have exactly two fields: 'criteria' and 'self_check_questions'")
        return {"criteria": [], "self_check_questions": []}
    return {"criteria": _criteria(f, data["criteria"], ("criteria",)),
            "self_check_questions": _questions(f, data["self_check_questions"], ("self_check_questions",))}


def _read_exercise(f: _File, meta: dict, body: str, defaults: dict, sessions: set[int]) -> dict[str, Any]:
    for key in sorted(set(meta) - FIELDS, key=str):
        f.problem((key,), f"unknown field '{key}'")
    for key in REQUIRED:
        if key not in meta:
            f.problem((), f"field '{key}' is missing")
    session = meta.get("session")
    if "session" in meta and (not isinstance(session, int) or isinstance(session, bool) or session not in sessions):
        f.problem(("session",), f"field 'session' must be the number of one of the course's sessions "
                                f"({min(sessions, default=1)} to {max(sessions, default=1)}; found {session!r})")
    slug = f.text(meta.get("slug"), ("slug",), "field 'slug'", 80)
    if slug and not SLUG.match(slug):
        f.problem(("slug",), "field 'slug' must be lowercase words joined by hyphens")
    mode = meta.get("mode")
    if "mode" in meta and mode not in MODES:
        f.problem(("mode",), f"field 'mode' must be one of {', '.join(MODES)} (found {mode!r})")
    reviewers = None
    if mode == "allocated":
        reviewers = (f.whole(meta, "reviewers_per_response", MIN_REVIEWERS, MAX_REVIEWERS, "reviewers")
                     if "reviewers_per_response" in meta else DEFAULT_REVIEWERS)
    elif "reviewers_per_response" in meta and mode in MODES:  # an unknown mode is reported once, above
        f.problem(("reviewers_per_response",), "field 'reviewers_per_response' only applies when mode is allocated")
    give_first = f.flag(meta, "give_before_get")
    if give_first and mode == "facilitator-only":
        f.problem(("give_before_get",), "field 'give_before_get' needs peers to give feedback, "
                                        "so it cannot be used with mode facilitator-only")
    responses_due = f.whole(meta, "responses_due_days", DUE_MIN, DUE_MAX, "days") if "responses_due_days" in meta else None
    feedback_due = f.whole(meta, "feedback_due_days", DUE_MIN, DUE_MAX, "days") if "feedback_due_days" in meta else None
    if responses_due is not None and feedback_due is not None and feedback_due <= responses_due:
        f.problem(("feedback_due_days",), "field 'feedback_due_days' must be later than 'responses_due_days'")
    self_check = meta.get("self_check", False)
    if isinstance(self_check, list):
        questions = _questions(f, self_check, ("self_check",))
    elif isinstance(self_check, bool):
        questions = defaults["self_check_questions"] if self_check else []
    else:
        f.problem(("self_check",), "field 'self_check' must be true, false or a list of questions")
        questions = []
    criteria = _criteria(f, meta["criteria"], ("criteria",)) if "criteria" in meta else defaults["criteria"]
    prompt, guidance = _split_body(f, body)
    return {
        "file": f.name, "session": session, "slug": slug,
        "title": f.text(meta.get("title"), ("title",), "field 'title'", 200) if "title" in meta else "",
        "prompt_source": prompt, "guidance_source": guidance, "mode": mode, "reviewers_per_response": reviewers,
        "anonymous_reviewers": f.flag(meta, "anonymous_reviewers"), "give_before_get": give_first,
        "responses_due_days": responses_due, "feedback_due_days": feedback_due,
        "self_check": bool(questions), "self_check_questions": questions, "criteria": criteria,
        **read_example(f, meta.get("example"), criteria),
    }


def _split_body(f: _File, body: str) -> tuple[str, str]:
    parts = GUIDANCE.split(body, maxsplit=1)
    if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
        f.problem((), "the text below the front matter needs the exercise itself, then a '## Guidance' "
                      "heading with the guidance below it")
        return body.strip(), ""
    return parts[0].strip(), parts[1].strip()


def _questions(f: _File, value: Any, where: Where) -> list[str]:
    if not isinstance(value, list) or not value:
        f.problem(where, f"field '{where[0]}' must be a list of questions")
        return []
    return [f.text(q, (*where, i), "a self-check question", 200) for i, q in enumerate(value)]


def _criteria(f: _File, value: Any, where: Where) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_CRITERIA:
        f.problem(where, f"field 'criteria' must be a list of 1 to {MAX_CRITERIA} criteria")
        return []
    criteria, keys = [], set()
    for i, item in enumerate(value):
        here = (*where, i)
        if not isinstance(item, dict) or set(item) - {"name", "description", "steps"}:
            f.problem(here, f"criterion {i + 1} must have only a name, a description and {STEPS} steps")
            continue
        name = f.text(item.get("name"), (*here, "name"), f"the name of criterion {i + 1}", 60)
        label = f"criterion '{name or i + 1}'"
        description = f.text(item.get("description"), (*here, "description"), f"the description of {label}", 400)
        key = criterion_key(name)
        if name and key in keys:
            f.problem((*here, "name"), f"{label} is named twice")
        keys.add(key)
        criteria.append({"key": key, "name": name, "description": description,
                         "steps": _steps(f, item.get("steps"), (*here, "steps"), label)})
    return criteria


def _steps(f: _File, value: Any, where: Where, label: str) -> list[dict[str, str]]:
    if not isinstance(value, list) or len(value) != STEPS:
        f.problem(where, f"{label} needs exactly {STEPS} steps, from the first to the strongest")
        return []
    steps = []
    for i, step in enumerate(value):
        here = (*where, i)
        if not isinstance(step, dict) or set(step) != {"label", "sentence"}:
            f.problem(here, f"step {i + 1} of {label} must have a 'label' and a 'sentence'")
            continue
        steps.append({"label": f.text(step["label"], (*here, "label"), f"the label of step {i + 1} of {label}", 40),
                      "sentence": f.text(step["sentence"], (*here, "sentence"),
                                         f"the sentence for step {i + 1} of {label}", 300)})
    if len({s["label"].lower() for s in steps}) != len(steps):
        f.problem(where, f"{label} uses the same step label twice")
    return steps
