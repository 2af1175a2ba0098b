"""Who may use what. Every view declares its access; one hook enforces it for all views.

Cohort routes carry `<int:cohort_id>`: the hook loads the cohort and the person's membership into
`g` before any view runs, and answers 404 to anyone who is not a member, exactly as for a cohort
that does not exist, so no view can forget the check.

Site administrators manage every cohort (routes marked `site_admin_manages=True`: settings, timetable,
enrolment, membership) but read its members' words (every other cohort route: the default, so a new route
fails closed) only as one of its active facilitators, or with the cohort open to them now through a
recorded, time-limited "open as site administrator" (portal/cohorts/openings.py). Otherwise they get a page
offering that opening (403: they know the cohort exists; unknown cohorts stay 404).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from flask import Flask, abort, g, redirect, request, url_for
from flask_login import current_user

from portal.errors import DomainError
from portal.extensions import login_manager
from portal.moderation.restrictions import is_muted, is_suspended, muted_reason, suspended_reason

F = TypeVar("F", bound=Callable)

PUBLIC = "public"  # anyone, signed in or not
USER = "user"  # any signed-in person
SITE_ADMIN = "site_admin"  # site administrators; everyone else gets 404
MEMBER = "member"  # current members of the cohort in the URL (site admins: see the module's docstring)
FACILITATOR = "facilitator"  # the cohort's active facilitators (site admins: see the module's docstring)
LEVELS = (PUBLIC, USER, SITE_ADMIN, MEMBER, FACILITATOR)
COHORT_LEVELS = (MEMBER, FACILITATOR)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
MANAGING, OPENED = "managing", "opened"  # a site admin's standing in a cohort they don't facilitate

_ATTR = "portal_access"


@dataclass(frozen=True)
class Rule:
    level: str
    before_agreement: bool = False  # usable before the member has accepted the group agreement
    when_read_only: bool = False  # may change data while suspended or in an archived cohort
    site_admin_manages: bool = False  # management, not members' words: site admins use it without opening


class ReadOnly(DomainError):
    status = 403


class Suspended(DomainError):
    """A facilitator suspended this member from the cohort for a while (portal/moderation/restrictions.py)."""

    status = 403


def access(level: str, *, before_agreement: bool = False, when_read_only: bool = False,
           site_admin_manages: bool = False) -> Callable[[F], F]:
    """Declare who may use a view. Undeclared views answer 404 (fail closed)."""
    if level not in LEVELS:
        raise ValueError(f"unknown access level {level!r}")
    if site_admin_manages and level not in COHORT_LEVELS:
        raise ValueError("site_admin_manages marks cohort routes only")
    rule = Rule(level, before_agreement, when_read_only, site_admin_manages)

    def mark(view: F) -> F:
        setattr(view, _ATTR, rule)
        return view

    return mark


def rule_of(view: Callable) -> Rule | None:
    return getattr(view, _ATTR, None)


def access_of(view: Callable) -> str | None:
    rule = rule_of(view)
    return rule.level if rule else None


def is_site_admin(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_site_admin)


def admin_standing() -> str | None:
    """MANAGING or OPENED for a site admin acting in a cohort they don't facilitate; None otherwise."""
    return g.get("admin_standing")


def is_facilitator_here() -> bool:
    """Whether the current person may manage the cohort in the URL (on a content route: read it as its
    facilitators do: the hook lets a site admin reach one only with the cohort open to them)."""
    membership = g.get("membership")
    return bool((membership is not None and membership.is_facilitator) or admin_standing() is not None)


def can_write_here() -> bool:
    """Whether the current person may change anything in the cohort in the URL."""
    cohort, membership = g.get("cohort"), g.get("membership")
    if cohort is None or cohort.is_archived:
        return False
    if admin_standing() is not None:
        return True
    return membership is not None and membership.status == "active" and not is_muted(membership)


def read_only_reason() -> str | None:
    cohort, membership = g.get("cohort"), g.get("membership")
    if cohort is not None and cohort.is_archived:
        return "This cohort has been archived. You can still read everything here, but nothing can be changed."
    if membership is not None and membership.status == "suspended":
        return ("Your place in this cohort is paused for now, so you can read but not post or change anything. "
                "Your facilitator can tell you more.")
    if is_muted(membership) and admin_standing() is None:
        return muted_reason(membership)
    return None


def _set_up_two_factor():
    from flask import flash

    flash("Facilitators and administrators sign in with a second step, to protect what people share here. "
          "Please set it up first: it takes two minutes.", "info")
    return redirect(url_for("auth.two_factor_setup"))


def _closed_to_admin():
    """A site admin asking for members' words in a cohort they neither facilitate nor have open."""
    from flask import render_template

    back = request.full_path.rstrip("?") if request.method in SAFE_METHODS else None
    return render_template("cohorts/closed_to_admin.html", cohort=g.cohort, back=back), 403


def _enforce_cohort(rule: Rule):
    from portal.cohorts.scope import load_cohort_context

    cohort_id = g.pop("cohort_id", None)
    ctx = load_cohort_context(cohort_id, current_user) if cohort_id is not None else None
    if ctx is None:
        abort(404)
    g.cohort, g.membership, g.agreement_accepted = ctx.cohort, ctx.membership, ctx.agreement_accepted
    g.checkins_unread = ctx.checkins_unread
    g.my_opening_until, g.opened_until = ctx.my_opening_until, ctx.opened_until
    g.admin_standing = None
    facilitates = ctx.membership is not None and ctx.membership.is_facilitator
    if is_site_admin(current_user) and not facilitates:
        if rule.site_admin_manages:
            g.admin_standing = MANAGING
        elif ctx.my_opening_until is not None:
            g.admin_standing = OPENED
        elif ctx.membership is None or rule.level == FACILITATOR:
            return _closed_to_admin()
        # else: an admin who is a learner here reads as that learner, no more
    if ctx.membership is None and g.admin_standing is None:
        abort(404)
    if is_suspended(ctx.membership) and g.admin_standing is None:
        raise Suspended(suspended_reason(ctx.membership))
    if rule.level == FACILITATOR and not is_facilitator_here():
        abort(404)
    if is_facilitator_here() and not current_user.has_two_factor:
        return _set_up_two_factor()
    if ctx.membership is not None and not ctx.agreement_accepted and not rule.before_agreement:
        return redirect(url_for("agreements.show", next=request.full_path.rstrip("?")))
    if request.method not in SAFE_METHODS and not rule.when_read_only and not can_write_here():
        raise ReadOnly(read_only_reason() or "This can't be changed now.")
    return None


def init_app(app: Flask) -> None:
    app.view_functions["static"] = access(PUBLIC)(app.view_functions["static"])

    @app.url_value_preprocessor
    def take_cohort_id(_endpoint, values):
        if values and "cohort_id" in values:
            g.cohort_id = values.pop("cohort_id")

    @app.url_defaults
    def add_cohort_id(endpoint, values):
        if "cohort_id" in values or g.get("cohort") is None:
            return
        if app.url_map.is_endpoint_expecting(endpoint, "cohort_id"):
            values["cohort_id"] = g.cohort.id

    @app.before_request
    def enforce_access():
        view = app.view_functions.get(request.endpoint) if request.endpoint else None
        if view is None:
            return None  # routing will answer 404/405 itself
        rule = rule_of(view)
        if rule is None:
            app.logger.error("View %s declares no access level", request.endpoint)
            abort(404)
        if rule.level == PUBLIC:
            return None
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if rule.level == SITE_ADMIN and not is_site_admin(current_user):
            abort(404)
        if rule.level == SITE_ADMIN and not current_user.has_two_factor:
            return _set_up_two_factor()
        if rule.level in COHORT_LEVELS:
            return _enforce_cohort(rule)
        return None

    app.jinja_env.globals.update(is_site_admin=is_site_admin, is_facilitator_here=is_facilitator_here,
                                 admin_standing=admin_standing,
                                 can_write_here=can_write_here, read_only_reason=read_only_reason)
