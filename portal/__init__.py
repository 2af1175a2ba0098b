"""The Cohort Portal: a Flask application for a peer support training course."""
from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from portal.config import load_config


def create_app(config: Mapping[str, Any] | None = None, *, instance_path: str | None = None) -> Flask:
    """Build the application: config, extensions, features, commands, errors, template helpers."""
    # PORTAL_INSTANCE_PATH: another instance folder (config.py, the SQLite files, the outbox), say for a trial run
    if not instance_path and os.environ.get("PORTAL_INSTANCE_PATH"):
        instance_path = os.path.abspath(os.environ["PORTAL_INSTANCE_PATH"])
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path)
    load_config(app, config)
    if app.config["PROXY_COUNT"]:
        # Behind a reverse proxy: trust its X-Forwarded-For/-Proto, so rate limits see the real address.
        # Never X-Forwarded-Host: the host comes from the Host header, checked against TRUSTED_HOSTS.
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=0, x_port=0, x_prefix=0)
    from portal.numbers import IdConverter

    app.url_map.converters["int"] = IdConverter  # before any route is added: every <int:…> is checked
    register_extensions(app)
    register_features(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    return app


def register_extensions(app: Flask) -> None:
    from portal.dates import alembic_render_item
    from portal.search import alembic_include_object
    from portal.extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"),
                     render_as_batch=True, compare_type=True, render_item=alembic_render_item,
                     include_object=alembic_include_object)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)


def register_features(app: Flask) -> None:
    from portal import (agreements, announcements, assignments, attendance, audit, auth, backup, cohorts, course, demo, discussions,
                        enrolment, evaluation, journal, keep, mailqueue, moderation, notifications, permissions,
                        privacy, queue, resources, safeguarding, security, support)

    permissions.init_app(app)
    security.init_app(app)
    queue.init_app(app)
    for feature in (auth, course, cohorts, agreements, enrolment, attendance, discussions, demo, support, backup,
                    mailqueue, keep, audit, moderation, safeguarding, assignments, journal, resources,
                    evaluation, privacy, notifications, announcements):
        feature.init_app(app)
    from portal import dashboard

    dashboard.init_app(app)


def register_errorhandlers(app: Flask) -> None:
    from portal.errors import register_errorhandlers as register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from portal.dates import human_date, human_day, local_today

    from portal.words import plural

    app.jinja_env.filters.update(human_date=human_date, human_day=human_day, plural=plural)
    from portal.discussions.render import post_body
    from portal.links import external_url

    app.jinja_env.globals.update(has_endpoint=lambda name: name in app.view_functions, local_today=local_today,
                                 post_body=post_body, external_url=external_url)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
