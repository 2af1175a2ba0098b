"""Hostile and broken input to the composer and search: a clear message or neutralised, never a 500."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.markdown import render_markdown
from tests.security.markup import executable_markup
from tests.conftest import post
from tests.discussions.conftest import posts_of


def c(cohort, path):
    return f"/cohorts/{cohort.id}/{path}"


@pytest.fixture
def thread(general_thread, cohort, learner):
    return general_thread(cohort, learner)


@pytest.mark.parametrize("body", ["", "   ", "\n\t\n", "\x00\x01\x02"])
def test_empty_posts_are_refused_kindly(client, auth, db, cohort, learner, thread, body):
    auth.login(learner)
    response = post(client, c(cohort, f"threads/{thread.id}"), {"body": body, "client_token": "e"})
    assert response.status_code == 422
    assert "Write something before posting" in response.get_data(as_text=True)
    assert len(posts_of(db, thread)) == 1


def test_a_body_over_100kb_is_refused_and_kept(client, auth, db, cohort, learner, thread):
    auth.login(learner)
    text = "word " * 20_001  # 100,005 characters
    response = post(client, c(cohort, f"threads/{thread.id}"), {"body": text, "client_token": "big"})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Posts can be up to 100,000 characters" in body and body.count("word word word") > 100
    assert len(posts_of(db, thread)) == 1


def test_control_characters_are_dropped_but_lines_kept(client, auth, db, cohort, learner, thread):
    auth.login(learner)
    post(client, c(cohort, f"threads/{thread.id}"), {"body": "line one\x00\x1b[31m\r\nline two", "client_token": "cc"})
    stored = posts_of(db, thread)[-1].body_source
    assert stored == "line one[31m\nline two"


def test_invalid_utf8_does_not_break_anything(client, auth, db, cohort, learner, thread):
    from tests.conftest import csrf_token
    auth.login(learner)
    token = csrf_token(client, "/account")
    raw = b"body=caf\xe9+\xff\xfe&client_token=u8&csrf_token=" + token.encode()
    response = client.post(c(cohort, f"threads/{thread.id}"), data=raw,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code in (302, 400, 422)


@pytest.mark.parametrize("payload", [
    "<script>alert(1)</script>", "[click](javascript:alert(1))", "[click](JaVaScRiPt:alert(1))",
    "<javascript:alert(1)>", "[x](data:text/html;base64,PHNjcmlwdD4=)", '<img src=x onerror="alert(1)">',
    "<a href='x' onclick='alert(1)'>x</a>", "![pic](http://tracker.example/pixel.png)",
    '<div style="position:fixed">x</div>', "<iframe src='https://evil.example'></iframe>",
    "<svg><script>alert(1)</script></svg>", "[a](&#106;avascript:alert(1))", "[a](java\tscript:alert(1))",
])
def test_markup_in_posts_is_never_executable(client, auth, db, cohort, learner, thread, payload):
    auth.login(learner)
    post(client, c(cohort, f"threads/{thread.id}"), {"body": payload, "client_token": payload[:40]})
    stored = posts_of(db, thread)[-1].body_html
    assert executable_markup(stored) == []
    assert stored in client.get(c(cohort, f"threads/{thread.id}")).get_data(as_text=True)  # shown as stored


@pytest.mark.parametrize("body", [">" * 10_000, "- " * 5_000 + "x", "[" * 5_000, "*" * 20_000,
                                  "|a|b|\n|-|-|\n" + "|1|2|\n" * 5_000, "`" * 10_000])
def test_pathological_markdown_renders_without_error(client, auth, db, cohort, learner, thread, body):
    auth.login(learner)
    response = post(client, c(cohort, f"threads/{thread.id}"), {"body": body, "client_token": str(hash(body))})
    assert response.status_code == 302
    assert client.get(c(cohort, f"threads/{thread.id}")).status_code == 200


@pytest.mark.parametrize("q", ['"', "*", "NEAR(", "a AND OR NOT", "col:term", "' OR 1=1 --", "\x00", "😀", "x" * 500,
                               "^", "-", "(("])
def test_search_syntax_typed_by_people_never_errors(client, auth, cohort, learner, thread, q):
    auth.login(learner)
    assert client.get(c(cohort, "search"), query_string={"q": q}).status_code == 200


def test_search_never_shows_another_cohorts_posts(client, auth, cohort, other_cohort, learner, outsider,
                                                  general_thread):
    general_thread(other_cohort, outsider, body="Zebra stories from the other cohort")
    general_thread(cohort, learner, body="Zebra stories from our cohort")
    auth.login(learner)
    body = client.get(c(cohort, "search?q=zebra")).get_data(as_text=True)
    assert "from our cohort" in body and "from the other cohort" not in body


def test_forged_thread_and_post_ids_are_404(client, auth, cohort, learner):
    auth.login(learner)
    for path in ("threads/999999", "posts/999999", "posts/999999/edit", "discussions/999", "discussions/abc"):
        assert client.get(c(cohort, path)).status_code == 404, path


MARKDOWN_PIECES = list("<>[]()!*_`'\"=/:;&# \n\t-|\\") + [
    "javascript:", "JaVaScRiPt:", "data:", "vbscript:", "onerror=", "onload=", "script", "svg", "img", "iframe",
    "style", "href", "src", "&#106;", "&#x6A;", "%6A", "http://x.example", "mailto:a@b", "<a ", "<img ", "\x00",
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=40).map("".join))
def test_rendered_markdown_never_holds_script_handlers_or_dangerous_urls(source):
    assert executable_markup(render_markdown(source)) == []


def test_links_are_marked_as_user_content(client, auth, db, cohort, learner, thread):
    auth.login(learner)
    post(client, c(cohort, f"threads/{thread.id}"), {"body": "See [this](https://example.org/page)",
                                                     "client_token": "link"})
    assert 'rel="nofollow noopener ugc"' in posts_of(db, thread)[-1].body_html


def test_reading_a_thread_does_no_markdown_work(client, auth, db, cohort, learner, thread, write_reply,
                                                monkeypatch):
    write_reply(thread, learner, "Some *emphasis*")
    auth.login(learner)

    def refuse(_source):
        raise AssertionError("Markdown rendered while reading")

    monkeypatch.setattr("portal.discussions.views.render_markdown", refuse)
    monkeypatch.setattr("portal.markdown.render_markdown", refuse)
    body = client.get(c(cohort, f"threads/{thread.id}")).get_data(as_text=True)
    assert "<em>emphasis</em>" in body
