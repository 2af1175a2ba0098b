"""Links people may follow: http or https with a host (the timetable's rule), shown with that host."""
from __future__ import annotations

from urllib.parse import urlsplit

from portal.cohorts.display import _link_host


def link_host(url: str) -> str | None:
    """The host of an http(s) address, else None (`javascript:`, `data:`, no host, a bad port, spaces)."""
    url = url or ""
    if url != url.strip() or any(ord(c) < 32 or c.isspace() for c in url):
        return None
    try:
        urlsplit(url).port  # a port out of range is no address at all
    except ValueError:
        return None
    return _link_host(url)
