"""The course's words promise only what the portal has: a feature not built yet is "coming soon", or unsaid."""
from __future__ import annotations

import re

import pytest

from tests.conftest import REPO

# What people might be promised, and the blueprint that will provide it when it lands.
FEATURES = {"journal": "journal.", "practice exercise": "exercises.", "assignment": "assignments."}


def _passages():
    """Paragraphs and list items of the course's own files, with where they are."""
    for path in sorted((REPO / "content").glob("**/*.md")):
        text = path.read_text().split("---", 2)[-1]
        for passage in re.split(r"\n\s*\n|\n(?=- )", text):
            yield path.relative_to(REPO).as_posix(), " ".join(passage.split())


@pytest.mark.parametrize("word,endpoint", FEATURES.items())
def test_features_are_promised_as_they_are(app, word, endpoint):
    """Not built: every mention says "coming soon". Built: none does (it is here now)."""
    built = any(name.startswith(endpoint) for name in app.view_functions)
    wrong = [f"{where}: {passage}" for where, passage in _passages()
             if word in passage.lower() and _about_the_portal(where, passage)
             and ("coming soon" in passage.lower()) == built]
    assert wrong == []


def _about_the_portal(where: str, passage: str) -> bool:
    """A journal or exercise is always the portal's; assignments are course work, promised here only on the
    course page's list of what happens on the portal, or where the portal is named."""
    if "assignment" not in passage.lower():
        return True
    return where == "content/course.md" and passage.startswith("- ") or "portal" in passage.lower()


def test_the_course_page_says_what_is_coming(client, auth, make_user, app):
    from portal.course.loader import load_content

    load_content(REPO / "content")
    auth.login(make_user())
    body = client.get("/course/").get_data(as_text=True)
    assert "discussion threads" in body
    assert "practice exercises" in body
    # The journal and handing in assignments have landed (issue 14): nothing on this page is "coming soon".
    assert "coming soon" not in body.lower()
    assert "hand them in here on the portal" in body and "a private journal" in body
