"""The small phrase syntax of the safety-words list, compiled to Python regular expressions.

Nobody writes a raw regular expression: each line is parsed here and only these pieces are allowed,
so a list cannot be slow to run (no nested or unbounded repeats across words) or fail at matching time.

    want to die           words; any spaces, punctuation or line breaks may come between them
    kill* my self         a word stem: 'kill*' is kill, killing, killed ... (at least 3 letters first)
    {end|take} my life    one of the alternatives (each may be several words or stems)
    [really|so] low       optional: one of these, or nothing
    my life ... end it    up to 4 other words in between (at most 2 gaps a line)

The text is matched as plain words separated by single spaces (see normalise.py); a phrase starts
after a space and ends before one, so no hit can start or end inside a longer word.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from portal.moderation.normalise import phrase_words

GAP_WORDS = 4
MAX_GAPS = 2
MAX_LINE = 200
MAX_ALTERNATIVES = 30
MIN_STEM = 3
KINDS = {"!": "urgent", "~": "context", "+": "present"}
SYNTAX = "use words, word*, {a|b}, [a|b] and ..."
TOKEN = re.compile(r"\s*(?:(?P<gap>\.\.\.)|(?P<punct>[{}\[\]|])|(?P<word>[\w'\u2019-]+)(?P<star>\*)?)")


class PhraseSyntaxError(ValueError):
    pass


@dataclass(frozen=True)
class Phrase:
    source: str  # the line as written, without its kind mark
    line: int
    kind: str  # hold | urgent | context | present
    pattern: str  # a regular expression over the plain text, words separated by single spaces
    firsts: frozenset[str]  # the words it can start with ('kil*' for a stem)


def parse_line(raw: str, number: int) -> Phrase | None:
    """One line of the file: None for a blank or comment line; PhraseSyntaxError says what is wrong."""
    line = raw.strip()
    if not line or line.startswith("#"):
        return None
    if len(line) > MAX_LINE:
        raise PhraseSyntaxError(f"is longer than {MAX_LINE} characters")
    kind = "hold"
    if line[0] in KINDS:
        kind, line = KINDS[line[0]], line[1:].strip()
    return Phrase(line, number, kind, *compile_source(line))


def compile_source(source: str) -> tuple[str, frozenset[str]]:
    """The phrase as a pattern, and the words it can start with (the matcher tries it only there)."""
    tokens = _tokens(source)
    if tokens and tokens[0][0] == "word":
        firsts = {_first(tokens[0][1])}
    elif tokens and tokens[0][1] == "{":
        end = _closing(tokens, 0, "}")
        firsts = {_first(v) for j, (k, v) in enumerate(tokens[1:end])
                  if k == "word" and (j == 0 or tokens[j][1] == "|")}
    else:
        firsts = set()
    parts: list[str] = []
    required = gaps = 0
    i = 0
    while i < len(tokens):
        kind, value = tokens[i]
        sep = " " if parts else ""
        if kind == "gap":
            if not parts or i == len(tokens) - 1:
                raise PhraseSyntaxError("'...' must come between words, not at the start or end")
            if tokens[i - 1][0] == "gap":
                raise PhraseSyntaxError("write '...' once between two words")
            gaps += 1
            parts.append(rf"(?: [^ ]+){{0,{GAP_WORDS}}}")
        elif kind == "word":
            parts.append(sep + _word(value))
            required += 1
        elif value in "{[":
            close = "}" if value == "{" else "]"
            end = _closing(tokens, i, close)
            group = _alternatives(tokens[i + 1:end], value + close)
            if value == "[":
                if not parts:
                    raise PhraseSyntaxError("cannot start with an optional [...] group (start with a word)")
                parts.append(f"(?: (?:{group}))?")
            else:
                parts.append(f"{sep}(?:{group})")
                required += 1
            i = end
        else:
            raise PhraseSyntaxError(f"'{value}' is out of place ({SYNTAX})")
        i += 1
    if gaps > MAX_GAPS:
        raise PhraseSyntaxError(f"has more than {MAX_GAPS} '...' gaps")
    if not required:
        raise PhraseSyntaxError("needs at least one word that is not optional")
    return "".join(parts), frozenset(firsts)


def _first(word: str) -> str:
    plain = phrase_words(word.rstrip("*"))
    return (plain[0] + "*") if word.endswith("*") and plain else (plain[0] if plain else "")


def _tokens(source: str) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    source = source.rstrip()
    while pos < len(source):
        m = TOKEN.match(source, pos)
        if not m or m.end() == pos:
            bad = source[pos:].lstrip()[:1]
            raise PhraseSyntaxError(f"'{bad}' is not part of the phrase syntax ({SYNTAX})")
        pos = m.end()
        if m["gap"]:
            tokens.append(("gap", "..."))
        elif m["punct"]:
            tokens.append(("punct", m["punct"]))
        else:
            tokens.append(("word", m["word"] + (m["star"] or "")))
    return tokens


def _closing(tokens: list[tuple[str, str]], start: int, close: str) -> int:
    for j in range(start + 1, len(tokens)):
        kind, value = tokens[j]
        if kind == "punct" and value == close:
            return j
        if kind == "punct" and value in "{[}]":
            raise PhraseSyntaxError(f"'{value}' inside a group: groups cannot be nested or left open")
        if kind == "gap":
            raise PhraseSyntaxError("'...' cannot be inside {…} or […]")
    raise PhraseSyntaxError(f"a group is not closed with '{close}'")


def _alternatives(tokens: list[tuple[str, str]], brackets: str) -> str:
    options: list[list[str]] = [[]]
    for kind, value in tokens:
        if kind == "punct" and value == "|":
            options.append([])
        else:
            options[-1].append(_word(value))
    return "|".join(" ".join(o) for o in options) if _check(options, brackets) else ""


def _check(options: list[list[str]], brackets: str) -> bool:
    if any(not o for o in options):
        raise PhraseSyntaxError(f"an alternative in {brackets[0]}…{brackets[1]} is empty")
    if len(options) > MAX_ALTERNATIVES:
        raise PhraseSyntaxError(f"has more than {MAX_ALTERNATIVES} alternatives in one group")
    return True


def _word(value: str) -> str:
    stem = value.endswith("*")
    plain = phrase_words(value.rstrip("*"))
    if not plain:
        raise PhraseSyntaxError(f"'{value}' has no letters or digits")
    if stem:
        if len(plain) != 1 or len(plain[0]) < MIN_STEM:
            raise PhraseSyntaxError(f"the stem '{value}' needs at least {MIN_STEM} letters before '*'")
        return re.escape(plain[0]) + "[^ ]*"
    return " ".join(re.escape(p) for p in plain)
