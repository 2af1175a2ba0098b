"""One mechanism for every form that holds writing (composers now and later).

A view marked `@keeps(...)` names its text fields. When a POST to it cannot be taken because the session
has ended (a refused CSRF token, or a redirect to sign in), the answer is a page holding the text, and
the text is kept server-side for its author (`KeptText`), found through a random token in a cookie.
After signing in, the same form (`take_kept`) shows it again, exactly as typed. The author is known from
a signed field every such form carries (`keep_owner_field`), as the session itself may be gone; text is
given back only to that account. The text never goes into a URL or a log.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import cache, wraps
from urllib.parse import urlsplit

from flask import (Flask, after_this_request, current_app, flash, g, jsonify, make_response, render_template,
                   request, session, url_for)
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from markupsafe import Markup, escape

from portal.keep import services

COOKIE = "portal_kept"
OWNER_FIELD = "keep_owner"
_ATTR = "portal_keeps"
OWNER_MAX_AGE = 7 * 24 * 3600  # a page can stay open a long while before it is sent


class Keeps:
    def __init__(self, text: dict[str, str], also: tuple[str, ...]) -> None:
        self.text, self.also = text, also  # text fields with their labels; fields that give them context


def keeps(text: dict[str, str], also: tuple[str, ...] = ()) -> Callable:
    """Mark a view whose form holds writing: `text` maps field names to labels, `also` are kept with them."""
    def mark(view):
        @wraps(view)
        def run(*args, **kwargs):
            g.keep_view_ran = True  # its own redirects (after posting) are not interruptions
            return view(*args, **kwargs)
        setattr(run, _ATTR, Keeps(text, also))
        return run
    return mark


def _keeps_here() -> Keeps | None:
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return getattr(view, _ATTR, None)


@cache
def _signer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="portal-kept-text-owner")


def keep_owner_field() -> Markup:
    """A hidden field naming the signed-in author, signed, for forms that hold writing."""
    if not current_user.is_authenticated:
        return Markup("")
    value = _signer(current_app.secret_key).dumps(current_user.id)
    # Safe: a constant name and an escaped signed value.
    return Markup(f'<input type="hidden" name="{OWNER_FIELD}" value="{escape(value)}">')  # nosec B704


def _author_id() -> str:
    """Who is writing, for the composer script's own copy in the tab (macros don't see `current_user`)."""
    return str(current_user.id) if current_user.is_authenticated else ""


def _owner() -> int | None:
    try:
        owner = _signer(current_app.secret_key).loads(request.form.get(OWNER_FIELD, ""), max_age=OWNER_MAX_AGE)
    except BadSignature:
        return None
    return owner if isinstance(owner, int) else None


def _typed(marked: Keeps) -> dict[str, str] | None:
    fields = {name: request.form.get(name, "") for name in (*marked.text, *marked.also)}
    if not any(fields[name].strip() for name in marked.text):
        return None
    return {name: value.replace("\x00", "")[:200_000] for name, value in fields.items()}


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _max_age() -> timedelta:
    return timedelta(seconds=int(current_app.config.get("KEPT_TEXT_MAX_AGE", 2 * 3600)))


def answer_lost_session(elsewhere: str | None = None):
    """The answer to a POST whose session has ended, or None to answer as usual. `elsewhere`: the person is
    signed in but was sent there first (an updated group agreement to accept)."""
    signed_in = current_user.is_authenticated
    if _wants_json():  # the composer's autosave: it says so on the page and keeps its own copy
        return make_response(jsonify(saved=False, signed_out=not signed_in, expired=True), 401)
    marked = _keeps_here()
    typed = _typed(marked) if marked and request.method == "POST" else None
    owner = _owner() if typed is not None else None
    if typed is None or owner is None:  # only writing from a form we showed to a signed-in person
        return None
    token = services.keep_text(owner, request.path, typed, _max_age())
    session.pop("_flashes", None)  # this page says it all
    texts = [(label, typed[name]) for name, label in marked.text.items() if typed[name].strip()]
    html = render_template("keep/kept.html", texts=texts, signed_in=signed_in, elsewhere=elsewhere,
                           same_person=signed_in and owner == current_user.id, back=request.path,
                           sign_in=url_for("auth.login", next=request.path))
    response = make_response(html, 400 if signed_in else 401)
    response.set_cookie(COOKIE, token, max_age=int(_max_age().total_seconds()), httponly=True, samesite="Lax",
                        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    return response


def take_kept(form) -> bool:
    """Put text kept for this person and this form back into `form`; True when it did."""
    token = request.cookies.get(COOKIE)
    if not token or not current_user.is_authenticated:
        return False
    fields = services.take_text(token, current_user.id, request.path)
    if fields is None:
        return False
    for name, value in fields.items():
        if name in form:
            form[name].data = value
    flash("Here is what you wrote, exactly as you left it. It hasn't been posted yet.", "success")

    @after_this_request
    def forget(response):
        response.delete_cookie(COOKIE)
        return response
    return True


def init_app(app: Flask) -> None:
    from flask_login import user_logged_in

    app.jinja_env.globals.update(keep_owner_field=keep_owner_field, keep_author_id=_author_id)

    @user_logged_in.connect_via(app)
    def forget_expired(_app, **_extra):
        services.forget_expired()

    @app.after_request
    def keep_instead_of_sign_in(response):
        """A form holding writing sent elsewhere before its view ran (to sign in: the session ended or timed
        out; to accept an updated agreement) would lose its text."""
        if request.method != "POST" or response.status_code not in (301, 302, 303, 307):
            return response
        if g.get("keep_view_ran") or (_keeps_here() is None and not _wants_json()):
            return response
        location = response.location or ""
        if urlsplit(location).path == url_for("auth.login"):
            return answer_lost_session() or response
        if current_user.is_authenticated and not _wants_json():
            return answer_lost_session(elsewhere=location) or response
        return response
