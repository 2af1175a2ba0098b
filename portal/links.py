"""Absolute links for emails and anything read outside the request: built from PORTAL_BASE_URL, never from
the Host or X-Forwarded-Host a client sent (a forged one would put someone else's site in a reset email)."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    """The full address of `endpoint` at the configured base URL, e.g. https://portal.example.org/login."""
    current_app.inject_url_defaults(endpoint, values)  # as url_for does (the current cohort's id)
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)
