"""A bad exercise file loads nothing, and the message names the file, the line and the field."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.course.loader import ContentError, load_content
from portal.course.models import Course
from portal.exercises.models import Exercise


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


# case: (file, text to replace, replacement, the line holding this text afterwards, expected message)
CASES = {
    "unknown mode": ("04-explaining-peer-support.md", 'mode: "allocated"', 'mode: "peer"', 'mode:',
                     "field 'mode' must be one of open, allocated, facilitator-only (found 'peer')"),
    "missing criterion description": (
        "07-recovery-language.md", '    description: "Each sentence describes a person, not a diagnosis, a problem '
        'or a label."\n', "", '- name: "Person first"',
        "the description of criterion 'Person first' must be non-empty text"),
    "due offset not a number": ("02-something-that-helped.md", "responses_due_days: 3", 'responses_due_days: "three"',
                                "responses_due_days:", "field 'responses_due_days' must be a whole number of days"),
    "k too large": ("04-explaining-peer-support.md", "reviewers_per_response: 2", "reviewers_per_response: 5",
                    "reviewers_per_response:", "field 'reviewers_per_response' must be a whole number of reviewers "
                                               "from 1 to 4 (found 5)"),
    "k zero": ("04-explaining-peer-support.md", "reviewers_per_response: 2", "reviewers_per_response: 0",
               "reviewers_per_response:", "from 1 to 4 (found 0)"),
    "k without allocation": ("02-something-that-helped.md", 'mode: "open"', 'mode: "open"\nreviewers_per_response: 2',
                             "reviewers_per_response:", "only applies when mode is allocated"),
    "unknown session": ("09-reframing-without-dismissing.md", "session: 9", "session: 12", "session:",
                        "field 'session' must be the number of one of the course's sessions (1 to 11; found 12)"),
    "example rates an unknown criterion": (
        "08-have-you-used-services.md", '    "Mutual":\n      step: "strong"', '    "Mutuality":\n      step: "strong"',
        '"Mutuality"', "the example rates 'Mutuality', which is not one of this exercise's criteria"),
    "example rates an unknown step": (
        "08-have-you-used-services.md", '    "Intentional":\n      step: "strong"',
        '    "Intentional":\n      step: "brilliant"', 'step: "brilliant"',
        "the example rates 'Intentional' as 'brilliant', which is not one of its steps "
        "(not yet, emerging, clear, strong)"),
    "example leaves a criterion out": (
        "07-recovery-language.md", '    "Hope":\n      step: "emerging"\n      why: "Sentence 5 explains the struggle '
        'kindly but stops there, with no room yet for change."\n', "", '  ratings:',
        "the example's ratings leave out Hope"),
    "example rating without its why": (
        "07-recovery-language.md", '      why: "Sentence 5 explains the struggle kindly but stops there, with no room '
        'yet for change."\n', "", '    "Hope":', "the example's rating of 'Hope' needs a 'step' and a one-line 'why'"),
    "example why over more than one line": (
        "08-have-you-used-services.md", '      why: "It sounds like a real person answering honestly, within limits '
        'they chose."', '      why: |\n        It sounds real.\n        And honest.', 'why: |',
        "the why of the example's rating of 'Authentic' must be one line"),
    "empty example response": (
        "08-have-you-used-services.md", '  response: |\n', '  response: ""\n  unused: |\n', '  response: ""',
        "the example's response must be non-empty text"),
    "example without what worked well": (
        "07-recovery-language.md", '  what_worked_well: |', '  worked: |', 'example:',
        "the example is missing 'what_worked_well' (what worked well in it, as the reference feedback says)"),
    "example with an unknown part": (
        "07-recovery-language.md", '  what_worked_well: |', '  what_worked_well: |\n    Good.\n  score: |',
        '  score: |', "the example has an unknown part 'score'"),
    "unknown field": ("06-one-idea-to-take-forward.md", "give_before_get: false", "give_before_get: false\ncolour: red",
                      "colour:", "unknown field 'colour'"),
    "not true or false": ("06-one-idea-to-take-forward.md", "anonymous_reviewers: false",
                          "anonymous_reviewers: sometimes", "anonymous_reviewers:",
                          "field 'anonymous_reviewers' must be true or false"),
    "feedback due before responses": ("05-sharing-power.md", "feedback_due_days: 6", "feedback_due_days: 2",
                                      "feedback_due_days:", "must be later than 'responses_due_days'"),
    "give before get without peers": ("03-a-turning-point.md", "self_check: true",
                                      "self_check: true\ngive_before_get: true", "give_before_get:",
                                      "cannot be used with mode facilitator-only"),
    "three steps": ("07-recovery-language.md", '      - label: "strong"\n        sentence: "Every sentence puts the '
                    'person first, and they would recognise themselves in it."\n', "", '    steps:',
                    "criterion 'Person first' needs exactly 4 steps"),
    "bad yaml": ("10-risk-and-goals.md", "session: 10", "session: [10", None, "front matter is not valid YAML"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_bad_exercise_file_is_named_with_its_line_and_nothing_loads(db, content, case):
    name, old, new, marker, message = CASES[case]
    path = content / "exercises" / name
    text = path.read_text()
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text)
    with pytest.raises(ContentError) as error:
        load_content(content)
    where = f"content/exercises/{name}" + (f", line {_line_of(text, marker)}: " if marker else "")
    assert any(p.startswith(where) and message in p for p in error.value.problems), error.value.problems
    assert db.session.scalar(select(func.count()).select_from(Course)) == 0
    assert db.session.scalar(select(func.count()).select_from(Exercise)) == 0


def test_a_duplicate_slug_names_both_files(content):
    source = content / "exercises" / "04-explaining-peer-support.md"
    (content / "exercises" / "04-zz-copy.md").write_text(source.read_text())
    with pytest.raises(ContentError) as error:
        load_content(content)
    assert ("content/exercises/04-zz-copy.md, line 3: slug 'explaining-peer-support' is also used by "
            "content/exercises/04-explaining-peer-support.md") in error.value.problems


def test_missing_guidance_heading(content):
    path = content / "exercises" / "09-reframing-without-dismissing.md"
    path.write_text(path.read_text().replace("## Guidance\n", ""))
    with pytest.raises(ContentError, match="09-reframing-without-dismissing.md: the text below the front matter "
                                           "needs the exercise itself, then a '## Guidance' heading"):
        load_content(content)


def test_problems_in_the_shared_criteria_name_that_file_and_line(content):
    path = content / "exercises" / "defaults.yml"
    text = path.read_text().replace('    description: "The response sounds honest', '    summary: "The response sounds honest')
    path.write_text(text)
    with pytest.raises(ContentError) as error:
        load_content(content)
    line = _line_of(text, '- name: "Authentic"')
    assert (f"content/exercises/defaults.yml, line {line}: criterion 2 must have only a name, a description and "
            "4 steps") in error.value.problems
    path.unlink()
    with pytest.raises(ContentError, match=r"defaults.yml: file is missing"):
        load_content(content)


def test_a_bad_file_later_leaves_the_loaded_exercises_untouched(db, content):
    load_content(content)
    before = {e.slug: (e.mode, e.prompt_html) for e in db.session.scalars(select(Exercise))}
    path = content / "exercises" / "02-something-that-helped.md"
    path.write_text(path.read_text().replace('mode: "open"', 'mode: "allocated"').replace("session: 2", "session: 0"))
    with pytest.raises(ContentError):
        load_content(content)
    db.session.expire_all()
    assert {e.slug: (e.mode, e.prompt_html) for e in db.session.scalars(select(Exercise))} == before


def test_an_unknown_mode_is_reported_once_not_again_for_its_reviewers(content):
    path = content / "exercises" / "04-explaining-peer-support.md"
    path.write_text(path.read_text().replace('mode: "allocated"', 'mode: "peer"'))
    with pytest.raises(ContentError) as error:
        load_content(content)
    assert [p for p in error.value.problems if "04-explaining" in p] == [
        "content/exercises/04-explaining-peer-support.md, line 5: field 'mode' must be one of open, allocated, "
        "facilitator-only (found 'peer')"]


def test_yaml_errors_in_an_exercise_give_the_file_line(content):
    path = content / "exercises" / "10-risk-and-goals.md"
    path.write_text(path.read_text().replace('mode: "allocated"', 'mode: "allocated"\n  bad: indent'))
    with pytest.raises(ContentError) as error:
        load_content(content)
    assert "content/exercises/10-risk-and-goals.md: front matter is not valid YAML (line 6)" in error.value.problems
