"""Gentle hints about what someone is writing: recovery language, and other people's details.

Both only suggest; nothing here blocks a post or stores anything. `language_hints` reads the author's
own words only: text in Markdown code, quoted lines (`> `) and a phrase in quotation marks ("crazy")
are someone else's words or words being talked about. `confidentiality_hints` errs towards silence:
a missed reminder costs less than a stream of false ones.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from portal.moderation.wording import Wording, first_names, recovery_language

LANGUAGE = "language"
PHONE, EMAIL, ADDRESS, NAME = "phone", "email", "address", "name"
# How each kind of detail is named in the reminder, in the order it is listed.
DETAILS = {PHONE: "a phone number", EMAIL: "an email address", ADDRESS: "a street address or postcode",
           NAME: "someone's full name"}


@dataclass(frozen=True)
class Hint:
    kind: str  # LANGUAGE or one of DETAILS
    found: str  # the words as written ("" when carried to a later page)
    suggestions: tuple[str, ...] = ()
    reason: str = ""
    key: str = ""  # the list entry (language) or the kind (details): what a later page is told

    @property
    def label(self) -> str:
        return DETAILS.get(self.kind, "")


# Masking keeps offsets (so quotation marks around a phrase can still be checked) and newlines.
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[^\n]*$|\Z)", re.M | re.S)
CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
QUOTE_LINE = re.compile(r"^ {0,3}>[^\n]*", re.M)
QUOTES = "\"'“”‘’«»"


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def authors_words(text: str, *, code: bool = True) -> str:
    """The text with quoted lines (and, unless code=False, Markdown code) blanked out, same length."""
    if code:
        text = FENCE.sub(_blank, text)
        text = CODE_SPAN.sub(_blank, text)
    return QUOTE_LINE.sub(_blank, text)


def _phrase_pattern(phrase: str) -> str:
    words = re.split(r"\s+", phrase.strip().lower())
    parts = [r"(?:-|\s+)?".join(re.escape(p) for p in w.split("-")) for w in words]
    return re.sub(r"['’]", "['’]", r"(?:\s+|-)".join(parts))  # either apostrophe


WORD = re.compile(r"[^\W\d_]+")


def _first_words(phrase: str) -> set[str]:
    """The words a phrase can start with: "non-compliant" starts with "non" or "noncompliant"."""
    first = phrase.lower().split()[0].replace("’", "'").split("'")[0]
    return {first.split("-")[0], first.replace("-", "")}


@lru_cache(maxsize=8)
def _compiled(entries: tuple[Wording, ...]) -> tuple[re.Pattern, frozenset[str]] | None:
    groups = [f"(?P<e{i}>{'|'.join(_phrase_pattern(p) for p in sorted(e.phrases, key=len, reverse=True))})"
              for i, e in enumerate(entries) if e.phrases]
    if not groups:
        return None
    # Whole words only: not inside a longer word or hyphenated compound ("addicted", "crazy-golf").
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(groups) + r")(?![\w]|-\w)", re.I)
    return pattern, frozenset(w for e in entries for p in e.phrases for w in _first_words(p))


def language_hints(text: str, entries: tuple[Wording, ...] | None = None) -> list[Hint]:
    """One hint per list entry found in the author's own words, in the order they first appear."""
    entries = recovery_language() if entries is None else entries
    compiled = _compiled(entries)
    if compiled is None or not text:
        return []
    pattern, starts = compiled
    words = authors_words(text)
    hints, seen = [], set()
    # Trying the long pattern only where a listed phrase could start keeps 20,000 characters to a few ms.
    for w in WORD.finditer(words):
        if w.group(0).lower() not in starts or not (m := pattern.match(words, w.start())):
            continue
        start, end = m.span()
        if start and end < len(words) and words[start - 1] in QUOTES and words[end] in QUOTES:
            continue  # "suffers from" in quotation marks: talking about the words, not using them
        index = int(m.lastgroup[1:])
        if index in seen:
            continue
        seen.add(index)
        entry = entries[index]
        hints.append(Hint(LANGUAGE, " ".join(m.group(0).split()), entry.suggestions, entry.reason, entry.key))
    return hints


def carried_language_hints(keys: Iterable[str]) -> list[Hint]:
    """Hints for list entries named by key (from an earlier request); unknown keys are skipped."""
    by_key = {e.key: e for e in recovery_language()}
    return [Hint(LANGUAGE, e.phrases[0], e.suggestions, e.reason, e.key) for k in keys if (e := by_key.get(k))]


# UK numbers (0… or +44/0044…) and other international ones; digits are counted in code below.
PHONE_LIKE = re.compile(r"(?<![\w/.:,+-])(?:\+|\(0|0)[0-9][0-9() -]{5,18}[0-9](?![\w/:+-]|[.,]\d)")
EMAIL_LIKE = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})*\.[A-Za-z]{2,24}(?![\w-])")
STREET_WORDS = ("Road|Rd|Street|Avenue|Lane|Close|Drive|Way|Crescent|Gardens|Place|Court|Terrace|Grove|Hill"
                "|Park|Square|Mews|Row|Walk|Rise|Parade|Vale|View|Green")
STREET = re.compile(r"(?<![\w/.:-])\d{1,4}[A-Za-z]?,? +(?:[A-Z][a-z'’]+(?:-[A-Z][a-z]+)? +){1,3}"
                    rf"(?:{STREET_WORDS})\b")
POSTCODE = re.compile(r"(?<![\w-])(?:[A-Z]{1,2}[0-9][A-Z0-9]?|GIR) ?[0-9][ABD-HJLNP-UW-Z]{2}(?![\w-])")
# A lookahead, so that "Ask Sarah Jones" still finds "Sarah Jones" after trying "Ask Sarah".
FULL_NAME = re.compile(r"(?<![\w'’-])(?=([A-Z][a-z]+)[ \t]+((?:Mc|Mac|O')?[A-Z][a-z]+(?:-[A-Z][a-z]+)?)"
                       r"(?![\w'’-])(?:[ \t]+([A-Z][a-z]+))?)")
# Capitalised words after a first name that make it a day, a month, a place or an organisation.
NOT_SURNAMES = frozenset("""Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March
April May June July August September October November December And But Or The I Is Was Has Had Said Says
Street Road Avenue Lane Drive Close Way Place Court Park Hill Square Station Centre Center House Hospital
Trust College School University Ward Unit Foundation Clinic Surgery Practice Library Church Hall""".split())
# Freephone and public-service prefixes, and short helplines: organisations' numbers, not a person's.
SERVICE_PREFIXES = ("0800", "0808", "0300", "0330", "0345", "0845", "116")


def _phone_digits(found: str) -> bool:
    digits = re.sub(r"\D", "", found)
    if found.startswith("+") or digits.startswith("00"):
        digits = digits[1:] if found.startswith("+") else digits[2:]
        if digits.startswith("44"):
            return len(digits) in (11, 12) and not digits[2:].startswith(("800", "808", "300"))
        return 8 <= len(digits) <= 15
    return len(digits) in (10, 11) and not digits.startswith(SERVICE_PREFIXES)


def _member_names(names) -> list[str]:
    names = names() if callable(names) else names
    return [" " + " ".join(n.lower().split()) + " " for n in names if n]


def confidentiality_hints(text: str, cohort_member_names: Iterable[str] | Callable[[], Iterable[str]] = (),
                          *, names: frozenset[str] | None = None) -> list[Hint]:
    """One hint per kind of detail that seems to be there: phone, email, street address, a full name from
    outside the group. Members' names may be given as a callable: it is called only if a name turns up."""
    if not text:
        return []
    words = authors_words(text, code=False)  # a number in `code` is still a number
    found: dict[str, str] = {}
    for m in PHONE_LIKE.finditer(words):
        if _phone_digits(m.group(0)):
            found.setdefault(PHONE, m.group(0))
            break
    if m := EMAIL_LIKE.search(words):
        found[EMAIL] = m.group(0)
    if m := STREET.search(words) or POSTCODE.search(words):
        found[ADDRESS] = m.group(0)
    if name := _outside_name(words, cohort_member_names, first_names() if names is None else names):
        found[NAME] = name
    return [Hint(kind, found[kind], (), "", kind) for kind in DETAILS if kind in found]


def _outside_name(words: str, members, names: frozenset[str]) -> str | None:
    candidates = [m for m in FULL_NAME.finditer(words)
                  if m.group(1) in names and m.group(2) not in NOT_SURNAMES and m.group(3) not in NOT_SURNAMES]
    if not candidates:
        return None
    known = _member_names(members)  # only now: most posts name no one, and this may be a query
    for m in candidates:
        full = f" {m.group(1).lower()} {m.group(2).lower()} "
        if not any(full in member for member in known):
            return f"{m.group(1)} {m.group(2)}"
    return None


def carried_detail_hints(kinds: Iterable[str]) -> list[Hint]:
    kinds = set(kinds)
    return [Hint(kind, "", (), "", kind) for kind in DETAILS if kind in kinds]
