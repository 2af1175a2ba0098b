"""Turn what a person typed into plain words, so the safety phrases meet it however it was typed.

Every word keeps where it came from in the original text (to report the span) and which sentence it
is in (the recovery-talk rule looks at the sentence). Letters are casefolded, NFKC-folded and stripped
of accents; zero-width and other invisible characters vanish; apostrophes join ("don't" is "dont");
any run of spaces, punctuation or line breaks separates words; a doubled or stretched letter counts
once ("dieee", "killll"), on both sides, so "kill" and "kil" are the same word to the matcher.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

APOSTROPHES = frozenset("'\u2019\u2018\u02bc\u2032`\u00b4")
SENTENCE_ENDS = frozenset(".!?;\n\r\u2028\u2029\u3002")
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


@dataclass(frozen=True)
class Word:
    text: str  # the plain form the phrases are matched against
    start: int  # span in the original text
    end: int
    sentence: int


@lru_cache(maxsize=4096)
def fold(char: str) -> str:
    """One typed character as plain lowercase letters: '' for invisible ones, ' ' for separators."""
    out = []
    for c in unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", char).casefold()):
        if c in APOSTROPHES or unicodedata.category(c) in ("Mn", "Me", "Cf"):
            continue  # accents, zero-width and format characters, apostrophes: join the word
        out.append(c if c.isalnum() else ("." if c in SENTENCE_ENDS else " "))
    return "".join(out)


def plain(word: str) -> str:
    return REPEATS.sub(r"\1", word)


def words(text: str) -> list[Word]:
    """The words of `text`, with their spans and sentence numbers."""
    found: list[Word] = []
    sentence, current, start = 0, [], 0
    for i, char in enumerate(text):
        folded = char if char.isascii() and char.islower() else fold(char)
        for c in folded:
            if c.isalnum():
                if not current:
                    start = i
                current.append(c)
                continue
            if current:
                _add(found, "".join(current), start, i, sentence)
                current = []
            if c == ".":
                sentence += 1
        # An invisible character ('' after folding) neither ends nor starts a word.
    if current:
        _add(found, "".join(current), start, len(text), sentence)
    return found


def _add(found: list[Word], token: str, start: int, end: int, sentence: int) -> None:
    for part in EXPANSIONS.get(token, token).split(" "):
        found.append(Word(plain(part), start, end, sentence))


def phrase_words(word: str) -> list[str]:
    """A word written in a phrase, in the same plain form as the text (it may become two words)."""
    folded = "".join(fold(c) for c in word).split()
    return [plain(p) for token in folded for p in EXPANSIONS.get(token, token).split(" ")]
