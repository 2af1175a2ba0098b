"""Safety words: find phrases that suggest a risk to life, so a post can be held for a facilitator.

The phrases live in content/lists/safety-phrases.txt (its header explains the syntax and the
trade-off), unless a site admin has saved a list of their own (/admin/safety-words): then that one.
`default_matcher()` reads the saved list or that file (again whenever either changes), `compile_phrases(text)`
any other list (a site admin's edit), and `validate_phrases(text)` lists what is wrong with a list
before it is saved. A match is only a reason for a person to look: it is never a judgement.

The recovery-talk rule: a phrase in the same sentence as a context phrase ('~': long past, such as
"two years ago", or someone else's words, such as "if someone says") does not hold the post, unless
the sentence also has a present-time phrase ('+': "still", "tonight") or the phrase is urgent ('!').
A phrase written in the present tense ("I want to die") counts as recovery talk only when the context
comes first ("Years ago I'd think: I want to die"), not after it ("I want to die, years ago I got help").
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, has_app_context

from portal.content_files import last_good, read_text, read_when_changed
from portal.course.loader import ContentError
from portal.moderation.normalise import Words, plain
from portal.moderation.phrases import Phrase, PhraseSyntaxError, parse_line

RELATIVE = Path("lists") / "safety-phrases.txt"
MAX_LINES = 2000
PAST_WORDS = frozenset(plain(w) for w in  # in the matcher's plain form: "took" is "tok"
                       "was were had took wrote felt thought did could would got made left said went tried".split())


class PhraseListError(ContentError):
    """A safety-phrase list that cannot be used: each problem names the line and what is wrong."""


@dataclass(frozen=True)
class Match:
    phrase: str  # the line of the list that matched, as written
    line: int
    span: tuple[int, int]  # where in the text given to find()
    text: str  # what the person wrote there
    urgent: bool = False
    recovery: bool = False  # in a sentence about the past or someone else's words: not holding


GROUPS = {"urgent": 0, "hold": 0, "context": 1, "present": 2}


class _Index:
    """Phrases grouped by the word they start with: at each word of a text only the phrases that can
    start there are tried (trying them all at every word is too slow for a long post). One pass over
    the words finds the three groups: phrases that hold, context phrases and present-time phrases."""

    def __init__(self, phrases: list[Phrase]) -> None:
        self.phrases = phrases
        self._exact: dict[str, list[int]] = {}
        self._stems: list[tuple[str, int]] = []
        for i, p in enumerate(phrases):
            for first in p.firsts:
                if first.endswith("*"):
                    self._stems.append((first[:-1], i))
                else:
                    self._exact.setdefault(first, []).append(i)
        self._patterns: dict[str, tuple[tuple[int, re.Pattern], ...]] = {}

    def _patterns_at(self, word: str) -> tuple[tuple[int, re.Pattern], ...]:
        try:
            return self._patterns[word]
        except KeyError:
            pass
        chosen = sorted(set(self._exact.get(word, [])) | {i for s, i in self._stems if word.startswith(s)})
        patterns = tuple((group, re.compile(" (?:" + "|".join(
            f"(?P<p{i}>{self.phrases[i].pattern})" for i in chosen if GROUPS[self.phrases[i].kind] == group)
            + ")(?= )")) for group in sorted({GROUPS[self.phrases[i].kind] for i in chosen}))
        if len(self._patterns) > 20_000:  # a bound on memory, whatever words people type
            self._patterns = {}
        self._patterns[word] = patterns
        return patterns

    def find(self, text: Words) -> list[list[tuple[Phrase, int, int]]]:
        """For each group, (phrase, first word, last word) of each phrase found, none overlapping."""
        found: list[list[tuple[Phrase, int, int]]] = [[], [], []]
        after, starts, plain = [0, 0, 0], text.starts, text.plain
        for k, word in enumerate(text.words):
            for group, pattern in self._patterns_at(word):
                if k >= after[group] and (m := pattern.match(plain, starts[k])):
                    last = bisect_right(starts, m.end() - 1) - 1
                    found[group].append((self.phrases[int(m.lastgroup[1:])], k, last))
                    after[group] = last + 1
        return found


class Matcher:
    def __init__(self, phrases: list[Phrase]) -> None:
        # Urgent phrases first, so where two phrases start at the same word the urgent one is reported.
        ordered = sorted(phrases, key=lambda p: (GROUPS[p.kind], p.kind != "urgent"))
        self.phrases = [p for p in ordered if GROUPS[p.kind] == 0]
        self._index = _Index(ordered)

    def find_all(self, text: str) -> list[Match]:
        """Every phrase found in `text`, recovery talk included (marked `recovery`)."""
        found = Words(text)  # all of it, however long: the forms limit the length
        if not found:
            return []
        holds, contexts, presents = self._index.find(found)
        context: dict[int, int] = {}  # sentence: the first word where a context phrase starts
        for _, first, last in contexts:
            for n in found.sentences(first, last):
                context.setdefault(n, first)
        present = {n for _, first, last in presents for n in found.sentences(first, last)}
        matches = []
        for phrase, first, last in holds:
            sentences = found.sentences(first, last)
            past = any(_past(w) for w in found.words[max(0, first - 2):last + 1])  # "wanted to | end it"
            recovery = (phrase.kind != "urgent" and not sentences & present
                        and any(s in context and (past or context[s] <= last) for s in sentences))
            span = found.span(first, last)
            matches.append(Match(phrase.source, phrase.line, span, text[span[0]:span[1]],
                                 phrase.kind == "urgent", recovery))
        return matches

    def find(self, text: str) -> list[Match]:
        """The phrases that should hold `text` for a facilitator (empty: nothing to hold)."""
        return [m for m in self.find_all(text) if not m.recovery]

    def holds(self, text: str) -> bool:
        return bool(self.find(text))


def _past(word: str) -> bool:
    """A word in the past tense (roughly): "wanted", "was", "felt"... """
    return word in PAST_WORDS or (len(word) > 3 and word.endswith("ed"))


def _parse(text: str, name: str) -> tuple[list[Phrase], list[str]]:
    phrases, problems = [], []
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        return [], [f"{name}: has more than {MAX_LINES} lines"]
    for number, raw in enumerate(lines, start=1):
        try:
            phrase = parse_line(raw, number)
        except PhraseSyntaxError as e:
            problems.append(f"{name}: line {number}: {e} (in '{raw.strip()[:80]}')")
            continue
        if phrase is not None:
            phrases.append(phrase)
    if not problems and not any(p.kind in ("hold", "urgent") for p in phrases):
        problems.append(f"{name}: needs at least one safety phrase")
    return phrases, problems


def validate_phrases(text: str, name: str = "the safety phrases") -> list[str]:
    """Everything wrong with a list, one problem a line, so a site admin can fix all at once."""
    try:
        compile_phrases(text, name)
    except PhraseListError as e:
        return e.problems
    return []


def compile_phrases(text: str, name: str = "the safety phrases") -> Matcher:
    """A Matcher for a list's text; PhraseListError (a ContentError) lists every bad line."""
    phrases, problems = _parse(text, name)
    for phrase in phrases:
        try:  # not reachable from the syntax; here so a bug is a clear message now, not a failed post later
            re.compile(phrase.pattern)
        except re.error as e:
            problems.append(f"{name}: line {phrase.line}: could not be compiled ({e})")
    if problems:
        raise PhraseListError(problems)
    return Matcher(phrases)


def read_safety_phrases(root: Path) -> Matcher:
    """The list under `root` (the content folder); ContentError names the file, line and problem."""
    name, text = read_text(root, RELATIVE, "the safety phrases that hold a post for a facilitator")
    return compile_phrases(text, name)


def load_safety_phrases(root: Path) -> Matcher:
    """Read the file if it changed since last time; raise ContentError if it is bad."""
    return read_when_changed(root / RELATIVE, lambda: read_safety_phrases(root))


def default_matcher(root: Path | None = None) -> Matcher:
    """The deployment's list: the one a site admin saved (portal/safeguarding/phrase_lists.py), else the file.
    If an edit breaks the file while the portal runs, the last good list is kept (and the problem logged):
    a broken file must never stop posts being checked. With `root`, always that folder's file."""
    if root is None and has_app_context():
        from portal.safeguarding.phrase_lists import saved_matcher

        saved = saved_matcher()
        if saved is not None:
            return saved
    if root is None:
        root = Path(current_app.config["CONTENT_DIR"]) if has_app_context() else _repo_content()
    return last_good(root / RELATIVE, lambda: read_safety_phrases(root), "Safety phrases")


def _repo_content() -> Path:
    return Path(__file__).resolve().parents[2] / "content"
