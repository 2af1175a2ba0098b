"""The author's journal as one Markdown file: their own words, as they wrote them."""
from __future__ import annotations

from portal.dates import human_date


def journal_markdown(cohort, entries, sessions: dict[int, str]) -> str:
    lines = [f"# My journal – {cohort.name}", ""]
    if not entries:
        lines += ["There are no entries yet.", ""]
    for entry in reversed(entries):  # oldest first, as a journal reads
        lines += [f"## {entry.title or 'Untitled entry'}", ""]
        about = f" · {sessions[entry.course_session_id]}" if entry.course_session_id in sessions else ""
        lines += [f"_{human_date(entry.created_at)}{about}_", "", entry.body_source.rstrip(), ""]
        if entry.reply_source:
            lines += ["> **Reply from a facilitator:**", ">"] + [f"> {line}" for line in
                                                               entry.reply_source.splitlines()] + [""]
    return "\n".join(lines)
