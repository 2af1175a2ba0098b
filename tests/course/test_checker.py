"""The course loader owns the loop over content files (portal/course/checker.py): the features declare their
kind of file; every problem names the file and, where it can, the line and field; a file with values of a
surprising type is a problem at check time, never an error (or a 500) later."""
from __future__ import annotations

import pytest

from portal.assignments import content as assignments
from portal.course.checker import Checker, ContentKind, read_folder
from portal.course.loader import ContentError, read_content
from tests.conftest import REPO, login

ASSIGNMENT = "assignments/1-my-recovery-story.md"
FORM = "evaluation/after-each-session.md"
QUESTION = "---\nslug: a\ntitle: t\nsessions: [1]\nquestions:\n  - {q}\n---\nIntro.\n"



def problems_with(content, relative: str, text: str) -> list[str]:
    (content / relative).write_text(text)
    with pytest.raises(ContentError) as caught:
        read_content(content)
    return [p for p in caught.value.problems if p.startswith(f"content/{relative}")]


@pytest.mark.parametrize("relative,text,message", [
    (ASSIGNMENT, "---\n1: x\nfoo: y\n---\nBody.\n", "each name in words"),
    (FORM, "---\n1: x\n---\n", "each name in words"),
    (FORM, QUESTION.format(q="key: [a]\n    kind: text\n    prompt: p"),
     "line 6: question 1: 'key' must be a short name"),
    (FORM, QUESTION.format(q="{1: 2, 3: 4}"), "line 6: question 1: unknown field(s) 1, 3"),
])
def test_a_file_with_surprising_values_is_named_never_an_error(content, relative, text, message):
    found = problems_with(content, relative, text)
    assert any(message in p for p in found), found


def test_problems_name_the_line_of_their_field(content):
    path = content / ASSIGNMENT
    text = path.read_text()
    line = text.splitlines().index(next(x for x in text.splitlines() if x.startswith("late_policy"))) + 1
    found = problems_with(content, ASSIGNMENT, text.replace('late_policy: "mark late"', 'late_policy: "sometimes"'))
    assert f"content/{ASSIGNMENT}, line {line}: field 'late_policy' must be 'mark late' or 'refuse'" in found
    form = (content / FORM).read_text().replace("kind: scale\n    prompt: How useful",
                                                "kind: slider\n    prompt: How useful")
    assert any(", line " in p and "'kind' must be one of" in p for p in problems_with(content, FORM, form))


def test_unknown_fields_and_slugs_used_twice_are_checked_for_every_kind(content):
    path = content / ASSIGNMENT
    path.write_text(path.read_text().replace("---\n", "---\ncolour: red\n", 1))
    other = content / "assignments" / "2-final-assignment.md"
    other.write_text(other.read_text().replace('slug: "final-assignment"', 'slug: "my-recovery-story"'))
    with pytest.raises(ContentError) as caught:
        read_content(content)
    text = "\n".join(caught.value.problems)
    assert f"content/{ASSIGNMENT}, line 2: unknown field(s) colour" in text
    assert "slug 'my-recovery-story' is also used by content/assignments/1-my-recovery-story.md" in text


def test_a_reader_that_trips_becomes_a_problem_naming_the_file(content):
    def clumsy(file, meta, body):
        return {"slug": meta["no such field"]}
    check = Checker(content)
    assert read_folder(check, ContentKind("assignments", frozenset(assignments.FIELDS), clumsy)) == []
    assert len(check.problems) == 2 and all("is of a kind it can't hold" in p for p in check.problems)
    assert check.problems[0].startswith(f"content/{ASSIGNMENT}")


def test_the_check_command_lists_problems_and_changes_nothing(app, content):
    (content / ASSIGNMENT).write_text("---\n1: x\n---\nBody.\n")
    result = app.test_cli_runner().invoke(args=["content", "check", "--path", str(content)])
    assert result.exit_code == 1
    assert "has problems" in result.output and ASSIGNMENT in result.output and "each name in words" in result.output
    ok = app.test_cli_runner().invoke(args=["content", "check", "--path", str(REPO / "content")])
    assert ok.exit_code == 0 and "no problems" in ok.output


def test_a_broken_file_never_makes_a_500_at_request_time(app, client, db, cohort, learner, content, monkeypatch):
    (content / ASSIGNMENT).write_text("---\n1: x\n---\nBody.\n")
    monkeypatch.setitem(app.config, "CONTENT_DIR", str(content))
    assignments._load.cache_clear()
    try:
        login(client, learner.email)
        assert client.get(f"/cohorts/{cohort.id}/assignments").status_code == 200
    finally:
        assignments._load.cache_clear()
