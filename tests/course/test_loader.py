"""Loading the course from content/: validate everything first, then upsert idempotently."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.course.loader import ContentError, load_content, read_content
from portal.course.models import Course, CourseSession
from tests.conftest import REPO

OUTLINE_TITLES = [
    "Course Content", "What is Recovery?", "Personal Recovery", "What is Peer Support?",
    "The Peer Relationship", "Review and Evaluation", "Use of Language and Communications",
    "Using Your Experiences Effectively", "Surviving and Thriving", "Positive Risk Taking and Boundaries",
    "Review and Evaluation",
]



def _sessions(db):
    return db.session.scalars(select(CourseSession).order_by(CourseSession.number)).all()


def test_the_real_content_has_all_eleven_sessions_in_outline_order():
    content = read_content(REPO / "content")
    course, sessions = content.course, content.sessions
    assert course["title"]
    assert [s["title"] for s in sorted(sessions, key=lambda s: s["number"])] == OUTLINE_TITLES
    for s in sessions:
        assert s["aims"] and s["key_concepts"] and s["discussion_prompts"], s["file"]
        assert len(s["body_source"].split()) >= 100, f"{s['file']} body is too thin"


def test_load_creates_then_is_idempotent(db, content):
    first = load_content(content)
    assert first.created == 13  # the course, 11 sessions and the confidentiality agreement
    ids = [s.id for s in _sessions(db)]
    second = load_content(content)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 13)
    assert [s.id for s in _sessions(db)] == ids


def test_markdown_is_rendered_once_on_load(db, content):
    load_content(content)
    first = _sessions(db)[0]
    assert first.body_html.startswith("<") and "<script" not in first.body_html


def test_edits_update_in_place_keeping_ids(db, content):
    load_content(content)
    before = {s.slug: s.id for s in _sessions(db)}
    path = next((content / "sessions").glob("02-*.md"))
    path.write_text(path.read_text().replace("\n---\n", "\n---\nAn added opening line.\n\n", 1))
    report = load_content(content)
    assert report.updated == 1 and report.created == 0
    db.session.expire_all()
    assert {s.slug: s.id for s in _sessions(db)} == before
    assert "An added opening line." in db.session.scalars(
        select(CourseSession).where(CourseSession.number == 2)).one().body_html


def test_a_removed_session_is_retired_not_deleted_and_returns_when_restored(db, content, client, make_user, auth):
    load_content(content)
    path = next((content / "sessions").glob("11-*.md"))
    saved = path.read_text()
    path.unlink()
    report = load_content(content)
    assert report.retired == ["final-review-and-evaluation"]
    assert db.session.scalar(select(func.count()).select_from(CourseSession)) == 11
    auth.login(make_user())
    assert "Session 10" in client.get("/course/").get_data(as_text=True)
    assert "Session 11" not in client.get("/course/").get_data(as_text=True)
    path.write_text(saved)
    load_content(content)
    db.session.expire_all()
    assert all(s.retired_at is None for s in _sessions(db))


BROKEN = {
    "bad yaml": ("number: [1\n", "front matter is not valid YAML"),
    "missing title": ('number: 1\nslug: "x"\nsummary: "s"\naims: ["a"]\nkey_concepts: ["k"]\n'
                      'discussion_prompts: [{title: "t", body: "b"}]\n', "field 'title' must be non-empty text"),
    "bad slug": ('number: 1\nslug: "Not A Slug"\ntitle: "T"\nsummary: "s"\naims: ["a"]\nkey_concepts: ["k"]\n'
                 'discussion_prompts: [{title: "t", body: "b"}]\n', "field 'slug' must be lowercase"),
    "aims not a list": ('number: 1\nslug: "x"\ntitle: "T"\nsummary: "s"\naims: "a"\nkey_concepts: ["k"]\n'
                        'discussion_prompts: [{title: "t", body: "b"}]\n', "field 'aims' must be a list"),
    "number not whole": ('number: "one"\nslug: "x"\ntitle: "T"\nsummary: "s"\naims: ["a"]\nkey_concepts: ["k"]\n'
                         'discussion_prompts: [{title: "t", body: "b"}]\n', "field 'number' must be a whole number"),
    "bad prompt": ('number: 1\nslug: "x"\ntitle: "T"\nsummary: "s"\naims: ["a"]\nkey_concepts: ["k"]\n'
                   'discussion_prompts: ["just text"]\n', "'discussion_prompts' must be a list"),
    "unknown field": ('number: 1\nslug: "x"\ntitle: "T"\nsummary: "s"\naims: ["a"]\nkey_concepts: ["k"]\n'
                      'discussion_prompts: [{title: "t", body: "b"}]\ncolour: "red"\n', "unknown field(s) colour"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_file_is_named_and_nothing_is_loaded(db, content, case):
    front, message = BROKEN[case]
    target = next((content / "sessions").glob("01-*.md"))
    target.write_text(f"---\n{front}---\nBody.\n")
    with pytest.raises(ContentError) as error:
        load_content(content)
    text = str(error.value)
    assert "content/sessions/01-" in text and message in text, text
    assert db.session.scalar(select(func.count()).select_from(Course)) == 0
    assert db.session.scalar(select(func.count()).select_from(CourseSession)) == 0


def test_problems_in_a_later_load_leave_the_earlier_content_untouched(db, content):
    load_content(content)
    before = [(s.title, s.body_html) for s in _sessions(db)]
    (content / "sessions" / "12-extra.md").write_bytes(b"---\ntitle: \xff\xfe\n---\n")
    path = next((content / "sessions").glob("03-*.md"))
    path.write_text(path.read_text().replace('number: 3', 'number: 4'))
    with pytest.raises(ContentError) as error:
        load_content(content)
    problems = error.value.problems
    assert any("12-extra.md: is not UTF-8 text" in p for p in problems)
    assert any("session numbers must run 1, 2, 3" in p for p in problems)
    db.session.expire_all()
    assert [(s.title, s.body_html) for s in _sessions(db)] == before


def test_duplicate_slugs_are_named(content):
    a = next((content / "sessions").glob("01-*.md"))
    b = next((content / "sessions").glob("02-*.md"))
    slug_b = read_content(content).sessions[1]["slug"]
    a.write_text(a.read_text().replace('slug: "course-content"', f'slug: "{slug_b}"'))
    with pytest.raises(ContentError, match=f"slug '{slug_b}' is also used by") as error:
        read_content(content)
    assert b.name in str(error.value) or a.name in str(error.value)


def test_missing_course_file_and_empty_folder(tmp_path):
    (tmp_path / "content").mkdir()
    with pytest.raises(ContentError) as error:
        read_content(tmp_path / "content")
    assert "content/course.md: file is missing" in error.value.problems
    assert any("no session files" in p for p in error.value.problems)
    assert any("needs the confidentiality agreement" in p for p in error.value.problems)


def test_cli_reports_problems_and_exits_non_zero(app, db, content):
    next((content / "sessions").glob("05-*.md")).write_text("no front matter at all\n")
    result = app.test_cli_runner().invoke(args=["content", "load", "--path", str(content)])
    assert result.exit_code == 1
    assert "was not loaded" in result.output and "05-" in result.output and "front matter" in result.output
    ok = app.test_cli_runner().invoke(args=["content", "load"])
    assert ok.exit_code == 0 and "13 new" in ok.output
