"""Full-text search over posts: SQLite FTS5 or PostgreSQL's tsvector, behind one function."""
from __future__ import annotations

import re

from sqlalchemy import Select, func, literal_column, text

from portal.extensions import db

# Made by migrations 0003 and 0009 outside the models; Alembic must neither create nor drop them.
SEARCH_OBJECTS = ("posts_fts", "ix_posts_fts", "threads_fts", "ix_threads_fts")
MAX_TERMS = 12


def alembic_include_object(obj, name, type_, reflected, compare_to) -> bool:
    return not (name or "").startswith(SEARCH_OBJECTS)


def _terms(query: str) -> list[str]:
    """Plain words only: search syntax typed by people must never reach the query parser."""
    return re.findall(r"\w+", query.lower())[:MAX_TERMS]


def match_posts(select_posts: Select, post_id_column, query: str) -> Select | None:
    """Narrow a select of posts to those matching every word of `query`; None when there are no words."""
    terms = _terms(query)
    if not terms:
        return None
    if db.engine.dialect.name == "sqlite":
        fts = " ".join(f'"{t}"*' for t in terms)  # each word quoted, prefix match
        ids = text("SELECT rowid FROM posts_fts WHERE posts_fts MATCH :fts").bindparams(fts=fts)
        return select_posts.where(post_id_column.in_(ids.columns(literal_column("rowid"))))
    from portal.discussions.models import Post

    tsquery = func.to_tsquery("english", " & ".join(f"{t}:*" for t in terms))
    return select_posts.where(func.to_tsvector("english", Post.body_source).op("@@")(tsquery))
