"""@mentions: "@" followed by the display name of a member of the same cohort (names have spaces, so the
longest name that matches wins). Nobody outside the cohort can be mentioned: only its members are looked for."""
from __future__ import annotations

import re


MENTION_MAX = 20  # more than this in one post is a list, not a mention: the rest are not notified


def mentioned(body: str, members: dict[int, str]) -> list[int]:
    """The ids of the members `body` mentions, in the order they first appear."""
    if "@" not in body:
        return []
    by_name = sorted(((name.casefold(), uid) for uid, name in members.items() if name), key=lambda p: -len(p[0]))
    found: list[int] = []
    text = body.casefold()
    for match in re.finditer(r"(?<![\w@])@", text):
        rest = text[match.end():]
        for name, uid in by_name:
            if rest.startswith(name) and not rest[len(name):len(name) + 1].isalnum():
                if uid not in found:
                    found.append(uid)
                break
        if len(found) >= MENTION_MAX:
            break
    return found


def lookup(members: dict[int, str], prefix: str, limit: int = 8) -> list[str]:
    """Names of members starting with `prefix` (or with a word starting with it), for the composer's list."""
    prefix = prefix.strip().lstrip("@").casefold()
    names = sorted(set(members.values()), key=str.casefold)
    starts = [n for n in names if n.casefold().startswith(prefix)]
    inside = [n for n in names if n not in starts and any(w.startswith(prefix) for w in n.casefold().split())]
    return (starts + inside)[:limit]
