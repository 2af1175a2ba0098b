"""Markdown to safe HTML, done once when text is written and stored beside its source."""
from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

# CommonMark with raw HTML switched off: markup people type is shown as text.
_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")

ALLOWED_TAGS = {
    "p", "br", "hr", "em", "strong", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener ugc"
MAX_NESTING = 20  # deeper quotes or lists are flattened rather than recursed into
_md.options["maxNesting"] = MAX_NESTING


def render_markdown(source: str) -> str:
    """Render CommonMark and sanitise it against the allow-list."""
    html = _md.render(source or "")
    # h1 belongs to the page: demote any heading written as one.
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=ALLOWED_SCHEMES, link_rel=LINK_REL, strip_comments=True)
