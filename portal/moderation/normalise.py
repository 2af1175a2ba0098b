"""Turn what a person typed into plain words, so the safety phrases meet it however it was typed.

Every word keeps where it came from in the original text (to report the span) and which sentence it
is in (the recovery-talk rule looks at the sentence, which ends at . ! ? ; … or a line break).
Letters are casefolded, NFKC-folded and stripped of accents; zero-width and other invisible
characters vanish; apostrophes join ("don't" is "dont"); any run of spaces, punctuation or line
breaks separates words; a doubled or stretched letter counts once ("dieee", "killll"), on both
sides, so "kill" and "kil" are the same word to the matcher; common short forms are written out.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache

APOSTROPHES = frozenset("'\u2019\u2018\u02bc\u2032`\u00b4")
REPEATS = re.compile(r"([^\W\d_])\1+")

# Words people shorten, written out the way the phrases are written. Applied to the phrases too.
EXPANSIONS = {
    "im": "i am", "ive": "i have", "ill": "i will", "iam": "i am",
    "wanna": "want to", "gonna": "going to", "gotta": "got to", "2": "to", "u": "you", "ur": "your",
    "dont": "do not", "cant": "can not", "cannot": "can not", "wont": "will not", "didnt": "did not",
    "doesnt": "does not", "isnt": "is not", "wasnt": "was not", "werent": "were not", "aint": "am not",
    "theres": "there is", "whats": "what is", "noone": "no one", "myself": "my self", "meself": "my self",
    "tonite": "tonight", "2nite": "tonight", "2night": "tonight", "rn": "right now", "anymore": "any more",
    "tmrw": "tomorrow", "tmr": "tomorrow", "2moro": "tomorrow", "2morrow": "tomorrow",
}


# A word: letters and digits, joined by apostrophes, accents and invisible characters, which vanish.
_JOINERS = "'\u2019\u2018\u02bc\u2032`\u00b4\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff"
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
TOKEN = re.compile(f"[^\\W_]+(?:[{_JOINERS}{_MARKS}]+[^\\W_]*)*")  # linear: the two sets do not overlap
SENTENCE_END = re.compile("[.!?;\n\r\u2028\u2029\u3002\uff0e\uff01\uff1f\uff1b\u2026]")


@lru_cache(maxsize=8192)
def fold(chars: str) -> str:
    """Typed characters as plain lowercase letters: invisible ones vanish, others separate words."""
    out = []
    for c in unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", chars).casefold()):
        if c in APOSTROPHES or unicodedata.category(c) in ("Mn", "Me", "Cf"):
            continue  # accents, zero-width and format characters, apostrophes: join the word
        out.append(c if c.isalnum() else " ")
    return "".join(out)


def plain(word: str) -> str:
    return REPEATS.sub(r"\1", word)


class Words:
    """The plain words of a text, joined as ' w1 w2 … ' for matching, each traced to where it was typed."""

    def __init__(self, text: str) -> None:
        self._tokens = list(TOKEN.finditer(text))
        self.words: list[str] = []
        self._owner: list[int] = []  # the typed token each plain word comes from
        for i, m in enumerate(self._tokens):
            parts = _parts(m.group())
            self.words.extend(parts)
            self._owner.extend([i] * len(parts))
        self.starts: list[int] = []  # where each word's leading space is in `plain`
        pos = 0
        for w in self.words:
            self.starts.append(pos)
            pos += len(w) + 1
        self.plain = " " + " ".join(self.words) + " "
        self._ends = [m.start() for m in SENTENCE_END.finditer(text)]

    def __len__(self) -> int:
        return len(self.words)

    def span(self, first: int, last: int) -> tuple[int, int]:
        return self._tokens[self._owner[first]].start(), self._tokens[self._owner[last]].end()

    def sentences(self, first: int, last: int) -> set[int]:
        """The sentences words first..last are in (numbered by the sentence ends before them)."""
        start, end = self.span(first, last)
        return set(range(bisect_right(self._ends, start), bisect_right(self._ends, end - 1) + 1))


@lru_cache(maxsize=16384)
def _parts(token: str) -> tuple[str, ...]:
    """A typed word in plain form: usually one word, sometimes none ("'") or more ("I'm")."""
    folded = token.lower() if token.isascii() and token.isalnum() else fold(token)
    return tuple(plain(p) for t in folded.split() for p in EXPANSIONS.get(t, t).split(" "))


def phrase_words(word: str) -> list[str]:
    """A word written in a phrase, in the same plain form as the text (it may become two words)."""
    return list(_parts(word))
