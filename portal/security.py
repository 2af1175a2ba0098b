"""Response headers that keep pages out of caches and scripts out of pages."""
from __future__ import annotations

from flask import Flask, request

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
])


def init_app(app: Flask) -> None:
    production = app.config["ENV_NAME"] == "production"

    @app.after_request
    def set_headers(response):
        h = response.headers
        h.setdefault("Content-Security-Policy", CSP)
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("Referrer-Policy", "same-origin")
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
        h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.endpoint != "static":
            # Pages hold personal data: no browser or proxy keeps a copy, error pages included.
            h["Cache-Control"] = "no-store"
            h["Pragma"] = "no-cache"
        if production:
            h.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        return response
