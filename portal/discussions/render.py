"""A thread's posts as HTML, built in Python.

Measured (make bench): Jinja spent two thirds of a 200-post thread page in this loop; plain string
building with markupsafe's escaping does the same work several times faster. Everything a person wrote
goes through `escape`, except body_html, which was sanitised when it was written.
"""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from portal.dates import human_date
from portal.discussions.models import REACTIONS


def post_body(post) -> Markup:
    """The post's text, behind its content warning, or the placeholder once withdrawn."""
    if post.withdrawn_at:
        return Markup('<p class="post__withdrawn">This post was withdrawn by its author.</p>')
    body = f'<div class="prose">{post.body_html}</div>'
    if post.content_warning:
        # Safe: the warning is escaped; body_html was sanitised by nh3 when it was written.
        return Markup(f'<details class="content-warning"><summary><span class="content-warning__label">'
                      f'Content warning: {escape(post.content_warning)}</span> '
                      f'<span class="content-warning__hint">– open to read</span></summary>{body}</details>')  # nosec B704
    # Sanitised by nh3 when written.
    return Markup(body)  # nosec B704


@dataclass(frozen=True)
class PageContext:
    post_url: str  # permalink prefix: post_url + id
    thread_url: str
    csrf: str
    me: int
    last_read: int
    writable: bool
    replying: bool
    facilitating: bool


def render_posts(views, ctx: PageContext) -> Markup:
    parts = ['<ol class="posts">']
    for view in views:
        parts.append(_one(view, ctx))
    parts.append("</ol>")
    # Every part escapes what people wrote; see _one.
    return Markup("".join(parts))  # nosec B704


def _one(view, ctx: PageContext) -> str:
    post = view.post
    pid, out = post.id, []
    if ctx.last_read and post.number == ctx.last_read + 1:
        out.append('<li class="unread-marker" id="new"><span>New since your last visit</span></li>')
    when = escape(human_date(post.created_at))
    course = "" if post.author_id else " post--course"
    out.append(f'<li class="post{course}" id="post-{pid}"><article aria-labelledby="post-{pid}-by">'
               f'<header class="post__header"><span class="post__author" id="post-{pid}-by">'
               f'{escape(view.author_name or "From the course")}</span>')
    if view.author_pronouns:
        out.append(f' <span class="hint">({escape(view.author_pronouns)})</span>')
    out.append(f' <a class="post__date" href="{ctx.post_url}{pid}"><time datetime="{post.created_at.isoformat()}" '
               f'title="{when}">{when}</time></a>')
    if post.edited_at and not post.withdrawn_at:
        out.append(' <span class="hint">edited</span>')
    if view.reply_to_number:
        out.append(f' <a class="post__reply-to" href="#post-{post.reply_to_id}">in reply to '
                   f'{escape(view.reply_to_author or "a post")}</a>')
    out.append("</header>")
    out.append(post_body(post))
    if not post.withdrawn_at:
        out.append(_footer(view, ctx))
    out.append("</article></li>")
    return "".join(out)


def _footer(view, ctx: PageContext) -> str:
    post, pid = view.post, view.post.id
    disabled = "" if ctx.writable else " disabled"
    out = [f'<footer class="post__footer"><form method="post" action="{ctx.post_url}{pid}/react" class="reactions">'
           f'<input type="hidden" name="csrf_token" value="{ctx.csrf}">']
    for kind, label in REACTIONS.items():
        count = view.reactions.get(kind)
        badge = f' <span class="reaction__count">{count}</span>' if count else ""
        pressed = "true" if kind in view.mine else "false"
        out.append(f'<button type="submit" name="kind" value="{kind}" class="reaction" aria-pressed="{pressed}"'
                   f'{disabled}>{label}{badge}</button>')
    out.append('</form><span class="post__actions">')
    if ctx.replying:
        out.append(f'<a href="{ctx.thread_url}?reply_to={pid}#composer">Reply<span class="visually-hidden"> to this '
                   f'post</span></a> <a href="{ctx.thread_url}?quote={pid}#composer">Quote<span '
                   f'class="visually-hidden"> this post</span></a>')
    if post.author_id == ctx.me and ctx.writable:
        out.append(f' <a href="{ctx.post_url}{pid}/edit">Edit</a> <form method="post" action="{ctx.post_url}{pid}/withdraw" '
                   f'class="inline-form"><input type="hidden" name="csrf_token" value="{ctx.csrf}">'
                   f'<button type="submit" class="link-button">Withdraw</button></form>')
    if post.edited_at and ctx.facilitating:
        out.append(f' <a href="{ctx.post_url}{pid}/revisions">Earlier versions</a>')
    out.append("</span></footer>")
    return "".join(out)
