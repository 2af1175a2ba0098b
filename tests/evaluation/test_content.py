"""Evaluation forms come from content/evaluation/ and load with the course; a broken file loads nothing."""
from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from portal.course.loader import ContentError, load_content, read_content
from portal.evaluation.models import EvaluationForm, EvaluationQuestion
from tests.conftest import REPO


@pytest.fixture
def content(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(REPO / "content", root)
    return root


def test_the_real_forms_ask_what_the_course_needs():
    forms = {f["slug"]: f for f in read_content(REPO / "content").evaluations}
    short, full = forms["after-each-session"], forms["course-review"]
    assert short["sessions"] == list(range(1, 12)) and full["sessions"] == [6, 11]
    assert [q["kind"] for q in short["questions"]] == ["scale", "scale", "text", "text"]
    assert {q["kind"] for q in full["questions"]} == {"scale", "choice", "text"}
    assert [q["key"] for q in full["questions"]] == ["aims", "pace", "facilitation", "confidence", "anything_else"]


def test_load_then_reload_keeps_ids_and_retires_what_left(db, content):
    load_content(content)
    forms = {f.slug: f.id for f in db.session.scalars(select(EvaluationForm))}
    keep_id = db.session.scalar(select(EvaluationQuestion.id).where(EvaluationQuestion.key == "keep"))
    path = content / "evaluation" / "after-each-session.md"
    text = path.read_text()
    path.write_text(text.replace("  - key: change\n    kind: text\n    prompt: One thing we could do differently\n", ""))
    (content / "evaluation" / "course-review.md").unlink()
    load_content(content)
    db.session.expire_all()
    assert {f.slug: f.id for f in db.session.scalars(select(EvaluationForm))} == forms
    review = db.session.scalars(select(EvaluationForm).filter_by(slug="course-review")).one()
    assert review.retired_at is not None
    change = db.session.scalars(select(EvaluationQuestion).filter_by(key="change")).one()
    assert change.retired_at is not None
    assert db.session.scalar(select(EvaluationQuestion.id).where(EvaluationQuestion.key == "keep")) == keep_id


@pytest.mark.parametrize("old,new,problem", [
    ("kind: scale\n    prompt: How useful", "kind: slider\n    prompt: How useful", "'kind' must be one of"),
    ("sessions: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]", "sessions: [1, 0]", "must be a list of session numbers"),
    ("options: [Not useful, A little useful, Useful, Very useful]", "options: [Only one]", "'options' must be 2 to 7"),
    ("key: keep", "key: useful", "key 'useful' is used twice"),
    ("key: keep\n    kind: text", "key: keep\n    kind: text\n    options: [a, b]", "a text question has no 'options'"),
])
def test_a_broken_form_is_named_and_nothing_loads(db, content, old, new, problem):
    path = content / "evaluation" / "after-each-session.md"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(ContentError) as caught:
        load_content(content)
    assert any("evaluation/after-each-session.md" in p and problem in p for p in caught.value.problems), \
        caught.value.problems
    assert db.session.scalars(select(EvaluationForm)).first() is None
