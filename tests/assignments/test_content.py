"""The assignments in content/assignments/: checked with the course; a bad file loads nothing and is named."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from portal.course.loader import ContentError, read_content

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def content(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(REPO / "content", root)
    return root


def test_the_real_content_has_the_two_assignments():
    found = {a["slug"]: a for a in read_content(REPO / "content").assignments}
    assert set(found) == {"my-recovery-story", "final-assignment"}
    assert found["my-recovery-story"]["opens_after_session"] == 6
    assert found["final-assignment"]["opens_after_session"] == 11
    assert found["final-assignment"]["late_policy"] == "refuse"
    assert "not yet: please resubmit" in found["my-recovery-story"]["outcomes"]


@pytest.mark.parametrize("change, problem", [
    (("late_policy: \"mark late\"", "late_policy: \"sometimes\""), "field 'late_policy'"),
    (("opens_after_session: 6", "opens_after_session: 0"), "'opens_after_session' must be a whole number"),
    (("min_words: 1200", "min_words: 5000"), "'min_words' is more than 'max_words'"),
    (("## Guidance", "## Other"), "'## Guidance' section"),
    (("title: \"Reflective", "title: [\"Reflective"), "front matter is not valid YAML (line"),
])
def test_a_broken_assignment_is_named_and_nothing_is_loaded(content, change, problem):
    path = content / "assignments" / "1-my-recovery-story.md"
    path.write_text(path.read_text().replace(*change))
    with pytest.raises(ContentError) as e:
        read_content(content)
    assert any(p.startswith("content/assignments/1-my-recovery-story.md") and problem in p for p in e.value.problems)
