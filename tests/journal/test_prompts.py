"""The journal's prompts from content/journal/prompts.yml: the real file loads; problems name file and line."""
from __future__ import annotations

import pytest

from portal.course.loader import ContentError
from portal.journal.prompts import load_prompts, parse_prompts, prompts_body


def test_the_real_prompts_follow_the_reflective_cycle(app):
    with app.app_context():
        prompts = load_prompts()
    headings = [p.heading for p in prompts]
    assert headings[0] == "What happened" and headings[-1] == "What I would do next time" and len(headings) == 5
    assert prompts_body(prompts).startswith("## What happened\n\n")


@pytest.mark.parametrize("text,where,says", [
    ("- heading: Fine\n  hint: ok\n- heading: ''\n", "prompts.yml:3", "heading"),
    ("- heading: Fine\n  colour: red\n", "prompts.yml:1", "only"),
    ("- heading: [unclosed\n", "prompts.yml:2", "not valid YAML"),
    ("heading: not a list\n", "prompts.yml:1", "list of prompts"),
])
def test_problems_name_the_file_and_line(text, where, says):
    with pytest.raises(ContentError) as e:
        parse_prompts("prompts.yml", text)
    assert any(p.startswith(where) and says in p for p in e.value.problems), e.value.problems
