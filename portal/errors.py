"""Domain errors raised by services, and the pages every error answers with."""
from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError


class DomainError(Exception):
    """A rule of the course or the portal was not met; the message is shown to the person."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RuleViolation(DomainError):
    status = 409


class NotFound(DomainError):
    status = 404


class InvalidInput(DomainError):
    """A value no form of ours would send (a forged choice): refused, nothing changed."""

    status = 422


# Titles and plain words for the errors people can meet.
_PAGES = {
    400: ("Something in that request was not right", "Please go back and try again."),
    403: ("You can't do that here", "Your account does not allow this action."),
    404: ("Page not found", "If you typed the web address, check it is correct. "
                            "If you followed a link, the page may have moved or you may not have access to it."),
    405: ("That can't be done here", "Please go back and try again."),
    409: ("That couldn't be done", "Please go back and try again."),
    413: ("That was too large to send", "Please make it shorter or smaller and try again. "
                                        "Nothing has been saved."),
    422: ("Something in that form was not right", "Please go back and try again. Nothing has been changed."),
    429: ("Please wait a moment", "There have been a lot of attempts in a short time. "
                                  "Please wait a few minutes and try again."),
    500: ("Sorry, something went wrong on our side", "Nothing you wrote has been shared. "
                                                       "Please try again in a few minutes."),
}


def _render(status: int, detail: str | None = None):
    title, body = _PAGES.get(status, _PAGES[500] if status >= 500 else _PAGES[400])
    html = render_template("errors/error.html", title=title, body=detail or body, status=status)
    return html, status


def _refuse_untrusted_host():
    """A Host outside TRUSTED_HOSTS leaves Flask no way to build links: answer before any other hook tries."""
    if isinstance(request.routing_exception, SecurityError):
        raise request.routing_exception


def register_errorhandlers(app: Flask) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_untrusted_host)

    @app.errorhandler(SecurityError)
    def untrusted_host(_e):
        title, body = _PAGES[400]
        return render_template("errors/plain.html", title=title, body=body), 400

    @app.errorhandler(CSRFError)
    def csrf_error(_e):
        from portal.keep.rescue import answer_lost_session

        kept = answer_lost_session()  # a form holding writing, or the composer's autosave
        if kept is not None:
            return kept
        return _render(400, "This form had expired or was sent from somewhere else. "
                            "Please go back, refresh the page and send it again.")

    @app.errorhandler(DomainError)
    def domain_error(e: DomainError):
        return _render(e.status, e.message)

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException):
        response = _render(e.code or 500)
        if e.code == 429:
            retry = getattr(e, "retry_after", None)
            body, status = response
            return body, status, {"Retry-After": str(retry or 60)}
        if e.code == 405 and e.valid_methods:
            body, status = response
            return body, status, {"Allow": ", ".join(e.valid_methods)}
        return response

    @app.errorhandler(Exception)
    def unexpected(e: Exception):
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return _render(500)
