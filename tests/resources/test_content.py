"""The course's own resources in content/resources/: checked with the course, loaded, reloaded, retired."""
from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from portal.course.loader import ContentError, load_content, read_content
from portal.resources.models import Resource
from tests.conftest import REPO


@pytest.fixture
def content(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(REPO / "content", root)
    return root


def test_the_real_content_has_resources_for_every_session_but_the_last_and_they_load_once(db, content):
    items = read_content(REPO / "content").resources
    assert {i["session"] for i in items} >= set(range(1, 11))
    for item in items:
        assert item["title"] and item["description"], item["slug"]
    report = load_content(content)
    assert report.resources.created == len(items)
    again = load_content(content)
    assert again.resources.created == again.resources.updated == 0
    assert again.resources.unchanged == len(items)
    rows = db.session.scalars(select(Resource)).all()
    assert all(r.cohort_id is None for r in rows)
    assert {r.file_type for r in rows if r.kind == "file"} == {"pdf", "md"}


def test_the_course_files_are_small_and_made_here(content):
    folder = REPO / "content" / "resources" / "files"
    for path in folder.iterdir():
        assert path.stat().st_size < 10_000, path.name
    assert (folder / "course-at-a-glance.pdf").read_bytes().startswith(b"%PDF-1.4")


def test_a_removed_item_is_retired_and_comes_back_when_restored(db, content):
    load_content(content)
    listing = content / "resources" / "resources.yml"
    saved = listing.read_text()
    start = saved.index("- session: 10\n  slug: samaritans")
    listing.write_text(saved[:start])
    report = load_content(content)
    assert report.resources.retired == ["samaritans"]
    row = db.session.scalar(select(Resource).where(Resource.slug == "samaritans"))
    assert row.retired_at is not None
    listing.write_text(saved)
    load_content(content)
    db.session.refresh(row)
    assert row.retired_at is None


BROKEN = {
    "not a list": ("title: x\n", "must be a list of resources"),
    "javascript link": ("- {session: 1, slug: a, title: T, link: 'javascript:alert(1)'}\n",
                        "resource 1: field 'link' must be an http or https address"),
    "both": ("- {session: 1, slug: a, title: T, link: 'https://example.org', file: getting-started.md}\n",
             "give either a 'link' or a 'file'"),
    "no session": ("- {session: 99, slug: a, title: T, link: 'https://example.org'}\n",
                   "field 'session' must be the number of a session"),
    "missing file": ("- {session: 1, slug: a, title: T, file: not-here.pdf}\n",
                     "resources/files/not-here.pdf is missing"),
    "a path": ("- {session: 1, slug: a, title: T, file: ../course.md}\n", "field 'file' must be the name"),
    "long title": (f"- {{session: 1, slug: a, title: {'t' * 121}, link: 'https://example.org'}}\n",
                   "field 'title' must be text of at most 120"),
    "repeated slug": ("- {session: 1, slug: a, title: T, link: 'https://example.org'}\n"
                      "- {session: 2, slug: a, title: U, link: 'https://example.org'}\n", "slug 'a' is used twice"),
    "unknown field": ("- {session: 1, slug: a, title: T, link: 'https://example.org', colour: red}\n",
                      "unknown field(s) colour"),
    "bad yaml": ("- {session: 1\n", "is not valid YAML"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_listing_loads_nothing_and_names_the_file_and_item(db, content, case):
    text, problem = BROKEN[case]
    (content / "resources" / "resources.yml").write_text(text)
    with pytest.raises(ContentError) as caught:
        load_content(content)
    assert any("content/resources/resources.yml" in p and problem in p for p in caught.value.problems), \
        caught.value.problems
    assert db.session.scalars(select(Resource)).all() == []


def test_a_fake_pdf_in_the_course_files_is_refused(db, content):
    (content / "resources" / "files" / "course-at-a-glance.pdf").write_bytes(b"<html>not a pdf</html>")
    with pytest.raises(ContentError) as caught:
        load_content(content)
    assert any("is not a PDF" in p for p in caught.value.problems)
