"""Work done once the response has been sent, so how long it takes can't be seen from outside."""
from __future__ import annotations

from collections.abc import Callable

from flask import after_this_request, current_app


def after_response(work: Callable[..., object], *args: object) -> None:
    """Run `work(*args)` in a fresh app context after the response is sent (when the server closes it).

    For answers that must not hint at a secret by their timing: "if that address has an account, we've
    emailed it" takes as long whether or not it has one, the lookup and the mail server included.
    """
    app = current_app._get_current_object()  # noqa: SLF001 (the app itself, not the proxy, outlives the request)

    def run() -> None:
        with app.app_context():
            try:
                work(*args)
            except Exception:  # noqa: BLE001 (nobody is waiting for an answer: log it, lose nothing else)
                app.logger.exception("Work after the response failed: %s", getattr(work, "__name__", work))

    @after_this_request
    def attach(response):
        response.call_on_close(run)
        return response
