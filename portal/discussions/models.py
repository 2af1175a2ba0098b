"""Threads and posts in a cohort's discussion spaces, with revisions, reactions, read marks and drafts."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, exists
from sqlalchemy.orm import Mapped, aliased, mapped_column

from portal.cohorts.models import one_of
from portal.dates import UTCDateTime, utcnow
from portal.extensions import db
from portal.moderation.held_models import HeldMixin

TITLE_MAX = 200
BODY_MAX = 100_000  # characters of Markdown
WARNING_MAX = 120
HIDDEN_REASON_MAX = 500  # a facilitator's reason for hiding something: the author reads it
REACTIONS = {"thanks": "Thank you", "me_too": "Me too", "helped": "This helped"}


class Thread(db.Model):
    """A conversation in a space: a session's discussion (course_session_id) or the cohort's general one."""

    __tablename__ = "threads"
    __table_args__ = (
        Index("ix_threads_space", "cohort_id", "course_session_id", "last_post_at"),
        UniqueConstraint("cohort_id", "starter_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    course_session_id: Mapped[int | None] = mapped_column(ForeignKey("course_sessions.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Starter threads come from a session's discussion prompts: "<session slug>/<n>".
    starter_key: Mapped[str | None] = mapped_column(String(120))
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    # Learners see others' replies only after posting their own.
    share_first: Mapped[bool] = mapped_column(Boolean, default=False)
    post_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Of the posts everyone may see: a held post moves it only when released (portal/moderation/holding.py).
    last_post_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Posts held for a facilitator now (post_count counts them: numbers and permalinks stay as they are).
    held_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The opening post is held: the thread is seen only by its author and the facilitators.
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Post(HeldMixin, db.Model):
    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("thread_id", "number"),
        UniqueConstraint("author_id", "client_token"),
        Index("ix_posts_cohort", "cohort_id", "id"),
        Index("ix_posts_author_recent", "author_id", "created_at"),  # the resend check on every post
        # New replies on the home pages are counted from this index alone, never the posts' text (make bench).
        # Covering: everything the new-replies count reads (visibility: withdrawn, held, hidden).
        Index("ix_posts_thread_unread", "thread_id", "number", "author_id", "withdrawn_at", "cohort_id", "held_at",
              "released_at", "hidden_at"),
        # Covering: the threads a person has joined (their own posts), for the same count.
        Index("ix_posts_author_threads", "author_id", "cohort_id", "withdrawn_at", "thread_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)  # 1 is the opening post; permalinks find the page from it
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    content_warning: Mapped[str | None] = mapped_column(String(WARNING_MAX))
    # A random token from the form: a double click or a resent form finds the post already made.
    client_token: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Hidden by a facilitator (or by enough flags, pending review): others see a placeholder, the author the reason.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str | None] = mapped_column(String(HIDDEN_REASON_MAX))
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # A facilitator edited it last (shown as "edited by a facilitator"); cleared when the author edits.
    moderator_edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PostRevision(db.Model):
    """An earlier text of an edited post, kept for facilitators."""

    __tablename__ = "post_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    content_warning: Mapped[str | None] = mapped_column(String(WARNING_MAX))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Reaction(db.Model):
    __tablename__ = "reactions"
    __table_args__ = (UniqueConstraint("post_id", "user_id", "kind"), one_of("kind", tuple(REACTIONS), "kind"))

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ThreadRead(db.Model):
    """How far a person has read a thread: posts numbered above this are new to them."""

    __tablename__ = "thread_reads"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True)
    last_read_number: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


def reply_draft_key(thread_id: int) -> str:
    """The draft of a reply to a thread (other keys: "thread:<space>", "edit:<post id>")."""
    return f"reply:{thread_id}"


class Draft(db.Model):
    """Text being written, saved as it is typed so nothing is lost to an expired login or a lost connection."""

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("user_id", "cohort_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    # "reply:<thread id>", "thread:<space>", "edit:<post id>", "response:<exercise id>"
    key: Mapped[str] = mapped_column(String(80))
    title: Mapped[str | None] = mapped_column(String(TITLE_MAX))
    body: Mapped[str] = mapped_column(Text, default="")
    content_warning: Mapped[str | None] = mapped_column(String(WARNING_MAX))
    # The composer this text came from: its client token (replies, threads) or the post version it edits.
    # A draft whose token has since become a post (or an older version) is never offered again.
    token: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


_POSTED = aliased(Post, name="posted")


def draft_not_posted():
    """SQL: the draft's composer token has not become a post. A save-on-leave autosave can land after the
    post it became has cleared the draft; such a draft is never offered again."""
    return ~exists().where(_POSTED.author_id == Draft.user_id, _POSTED.client_token == Draft.token)
