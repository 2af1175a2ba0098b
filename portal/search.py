"""Full-text search over posts and thread titles: SQLite FTS5 or PostgreSQL's tsvector, behind one function."""
from __future__ import annotations

import re

from sqlalchemy import Select, and_, case, func, literal_column, or_, text

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
    """Narrow a select of posts (joined to their threads) to those matching every word of `query` in their
    text, or opening a thread whose title matches; title matches first. None when there are no words."""
    terms = _terms(query)
    if not terms:
        return None
    from portal.discussions.models import Post, Thread

    if db.engine.dialect.name == "sqlite":
        fts = " ".join(f'"{t}"*' for t in terms)  # each word quoted, prefix match
        posts = text("SELECT rowid FROM posts_fts WHERE posts_fts MATCH :fts").bindparams(fts=fts)
        titles = text("SELECT rowid FROM threads_fts WHERE threads_fts MATCH :title_fts").bindparams(title_fts=fts)
        in_body = post_id_column.in_(posts.columns(literal_column("rowid")))
        in_title = and_(Post.number == 1, Thread.id.in_(titles.columns(literal_column("rowid"))))
    else:
        tsquery = func.to_tsquery("english", " & ".join(f"{t}:*" for t in terms))
        in_body = func.to_tsvector("english", Post.body_source).op("@@")(tsquery)
        in_title = and_(Post.number == 1, func.to_tsvector("english", Thread.title).op("@@")(tsquery))
    return select_posts.where(or_(in_body, in_title)).order_by(case((in_title, 0), else_=1))
