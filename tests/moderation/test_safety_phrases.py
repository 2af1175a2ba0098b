"""The safety-phrase syntax, its checking, the normalising of what people type, loading and speed."""
from __future__ import annotations

import os
import re
import shutil
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.course.loader import ContentError, read_content
from portal.moderation.safety import (PhraseListError, compile_phrases, default_matcher, read_safety_phrases,
                                      validate_phrases)
from tests.conftest import REPO

FILE = "lists/safety-phrases.txt"


def found(phrases: str, text: str) -> list[str]:
    return [m.text for m in compile_phrases(phrases).find(text)]


# The syntax

def test_words_match_across_any_spaces_punctuation_and_line_breaks():
    assert found("want to die", "i  WANT...to\n\ndie") == ["WANT...to\n\ndie"]
    assert found("want to die", "want to diet") == []
    assert found("want to die", "I want todie") == []


def test_no_hit_inside_a_longer_word():
    assert found("kill", "skill, skilled, overkill, killer app") == []
    assert found("ill", "pills, still, illness") == []
    assert found("over", "overdue, hangover") == []
    assert found("dead", "deadline, dead-end") == ["dead"]  # a hyphen separates words
    assert found("end", "endless, unending, legend") == []


def test_a_stem_matches_the_word_with_any_ending_but_not_inside_another():
    assert found("kill* my self", "killing myself / killed my self / kill myself") == [
        "killing myself", "killed my self", "kill myself"]
    assert found("kill* my self", "skilling myself") == []


def test_alternatives_optional_words_and_gaps():
    phrases = "{end|take} my [own|whole] life\nmy life ... end it"
    assert found(phrases, "take my own life") == ["take my own life"]
    assert found(phrases, "end my life") == ["end my life"]
    assert found(phrases, "end my entire life") == []
    assert found(phrases, "my life, honestly, I want to end it") == ["my life, honestly, I want to end it"]
    assert found(phrases, "my life is good and I want to go on and end it") == []  # 5 words apart


def test_kinds_of_line():
    phrases = "wanted to die\n! pills tonight\n~ years ago\n+ still"
    matcher = compile_phrases(phrases)
    assert [m.urgent for m in matcher.find_all("pills tonight, wanted to die")] == [True, False]
    assert matcher.find("Years ago I wanted to die") == []
    assert matcher.find("Years ago I wanted to die and I still do") != []
    assert matcher.find("Years ago I took pills tonight") != []  # urgent beats context
    assert matcher.find("years ago") == [] and matcher.find("still") == []  # markers never hold


def test_comments_and_blank_lines_are_ignored():
    assert found("# want to die\n\n   \n  # end my life\nwant to die\n", "want to die, end my life") == [
        "want to die"]


@pytest.mark.parametrize("line, reason", [
    ("want (to) die", "'(' is not part of the phrase syntax"),
    ("want.*die", "'.' is not part of the phrase syntax"),
    (r"want\s+die", "'\\' is not part of the phrase syntax"),
    ("(a+)+$", "'(' is not part of the phrase syntax"),
    ("{end|take my life", "a group is not closed with '}'"),
    ("end|take my life", "'|' is out of place"),
    ("{end|{take}} my life", "groups cannot be nested"),
    ("{end||take} my life", "an alternative in {…} is empty"),
    ("[really] want to die", "cannot start with an optional"),
    ("... want to die", "'...' must come between words"),
    ("want to die ...", "'...' must come between words"),
    ("a ... b ... c ... d", "more than 2 '...' gaps"),
    ("{want ... to} die", "'...' cannot be inside"),
    ("ki* myself", "needs at least 3 letters before '*'"),
    ("kill * myself", "'*' is not part of the phrase syntax"),
    ("!", "needs at least one word"),
    ("want " * 60, "longer than 200 characters"),
])
def test_an_invalid_line_is_refused_with_its_line_number_and_reason(line, reason):
    text = "# safety\nwant to die\n" + line + "\nend my life\n"
    with pytest.raises(PhraseListError) as error:
        compile_phrases(text, "content/lists/safety-phrases.txt")
    [problem] = error.value.problems
    assert problem.startswith("content/lists/safety-phrases.txt: line 3: "), problem
    assert reason in problem, problem
    assert isinstance(error.value, ContentError)
    assert validate_phrases(text, "content/lists/safety-phrases.txt") == error.value.problems


def test_every_bad_line_is_listed_at_once():
    problems = validate_phrases("want (to die\nfine words\n{open\n", "list")
    assert [p.split(":")[1].strip() for p in problems] == ["line 1", "line 3"]


def test_a_good_list_has_no_problems_and_an_empty_one_is_refused():
    assert validate_phrases("want to die\n~ years ago\n") == []
    assert validate_phrases((REPO / "content" / FILE).read_text(encoding="utf-8")) == []
    assert validate_phrases("# only comments\n~ years ago\n") == ["the safety phrases: needs at least one safety phrase"]


def test_nothing_typed_can_reach_the_regular_expression_engine_raw():
    # Only our own escaped words and fixed pieces are compiled: regex syntax in a word is refused above,
    # and symbols folded from other scripts are words or separators, never operators.
    matcher = compile_phrases("ｗａｎｔ to die\nself-harm")
    assert [p.pattern for p in matcher.phrases] == ["want to die", "self harm"]
    assert all(re.fullmatch(r"[a-z0-9 ()?:|^\[\]*+{},]+", p.pattern) for p in compile_phrases(
        (REPO / "content" / FILE).read_text(encoding="utf-8")).phrases)


# Normalising what people type

@pytest.mark.parametrize("text", [
    "I want to die",
    "Ｉ ｗａｎｔ ｔｏ ｄｉｅ",  # full-width letters (NFKC)
    "I w\u200bant to d\u200die",  # zero-width space and joiner inside words
    "I want\u00a0to\u2003die",  # no-break and em spaces
    "I WANT TO DİE".replace("İ", "I"),
    "I wánt to díe",  # accents
    "I wa\u0301nt to die",  # a combining accent
    "I want to dieeee",  # stretched letters
    "i want 2 die",
    "I wanna die",
    "I want\r\nto\r\ndie",
    "I want to die\u2028",
])
def test_normalising(text):
    assert found("want to die", text), text


def test_curly_and_straight_apostrophes_are_the_same():
    for text in ("I don't want to live", "I don’t want to live", "I dont want to live", "I do not want to live",
                 "I donʼt want to live"):
        assert found("don't want to live", text), text
        assert found("do not want to live", text), text


def test_sentences_end_at_full_stops_line_breaks_and_ellipses_for_the_context_rule():
    matcher = compile_phrases("wanted to die\n~ years ago")
    assert matcher.find("Years ago. I wanted to die") != []
    assert matcher.find("Years ago\nI wanted to die") != []
    assert matcher.find("Years ago… I wanted to die") != []
    assert matcher.find("Years ago, I wanted to die") == []


# Loading

@pytest.fixture
def content(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(REPO / "content", root)
    return root


def test_the_default_list_is_in_content_and_cached():
    first = default_matcher(REPO / "content")
    assert default_matcher(REPO / "content") is first
    assert len(first.phrases) >= 60


def test_a_bad_list_stops_content_load_naming_the_file_and_line(app, content):
    path = content / FILE
    path.write_text(path.read_text(encoding="utf-8") + "want (to) die\n", encoding="utf-8")
    lines = len(path.read_text(encoding="utf-8").splitlines())
    with pytest.raises(ContentError, match=f"content/lists/safety-phrases.txt: line {lines}: "):
        read_content(content)
    result = app.test_cli_runner().invoke(args=["content", "load", "--path", str(content)])
    assert result.exit_code == 1 and f"safety-phrases.txt: line {lines}" in result.output


def test_a_missing_list_is_named(content):
    (content / FILE).unlink()
    with pytest.raises(ContentError, match="safety-phrases.txt: file is missing"):
        read_safety_phrases(content)


def test_an_edited_list_is_read_again_and_a_broken_edit_keeps_the_last_good_one(content):
    path = content / FILE
    assert not default_matcher(content).holds("purple elephants")
    path.write_text("purple elephants\n", encoding="utf-8")
    os.utime(path, ns=(1, 1))
    assert default_matcher(content).holds("purple elephants")
    path.write_text("purple (elephants\n", encoding="utf-8")
    os.utime(path, ns=(2, 2))
    assert default_matcher(content).holds("purple elephants")  # the last good list, not a failure


# Speed

def test_a_long_post_is_checked_quickly():
    matcher = default_matcher(REPO / "content")
    post = ("Today in session four we talked about recovery, hope and what helped each of us. It was a good "
            "week; the skills practice went well, the deadline is fine and I’m dying to see the next one! ")
    post = (post * 200)[:20_000]
    other = ("Ｆｕｌｌ-width “quotes”, café, naïve… don’t\u200b stop — ﬁne. " * 400)[:20_000]
    for text in (post, other):
        matcher.find(text)
        best = min(_timed(matcher.find, text) for _ in range(5))
        assert best < 0.020, f"{best * 1000:.1f} ms"


def test_many_near_misses_do_not_slow_it_down():
    # Words that start many phrases, over and over, in the worst order for the gaps.
    matcher = default_matcher(REPO / "content")
    text = ("my life i want to my life i want to " * 600)[:20_000]
    matcher.find(text)
    assert min(_timed(matcher.find, text) for _ in range(5)) < 0.020


def _timed(function, *args) -> float:
    # CPU time, not wall time: the test machine is shared, and waiting for a core is not our slowness.
    start = time.process_time()
    function(*args)
    return time.process_time() - start


# Whatever is typed

@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_list_text_gives_problems_or_a_matcher_never_an_error(text):
    problems = validate_phrases(text)
    assert isinstance(problems, list) and all(isinstance(p, str) for p in problems)
    if not problems:
        compile_phrases(text).find(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_any_post_is_checked_and_spans_point_into_it(text):
    for match in default_matcher(REPO / "content").find_all(text):
        start, end = match.span
        assert 0 <= start < end <= len(text) and text[start:end] == match.text
