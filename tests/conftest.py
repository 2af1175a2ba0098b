"""Fixtures shared by the whole suite: app, database, client, factories and signed-in roles."""
from __future__ import annotations

import itertools
from email import message_from_bytes
from email import policy as email_policy
from email.message import EmailMessage
import os
import re
from pathlib import Path

import pytest
from flask.globals import _cv_app
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import make_url

from portal import create_app
from portal.auth.models import User
from portal.auth.passwords import hash_password
from portal.agreements.models import Agreement, AgreementAcceptance, AgreementVersion
from portal.cohorts.models import Cohort, CohortSession, Membership
from portal.cohorts.services import create_cohort
from portal.course.models import Course, CourseSession
from portal.dates import utcnow
from portal.extensions import db as _db

PASSWORD = "correct horse battery"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # facilitators' and admins' authenticator in tests
IN_CI = os.environ.get("CI", "").lower() == "true"
REPO = Path(__file__).resolve().parent.parent


def _database_label() -> str:
    url = os.environ.get("PORTAL_TEST_DATABASE_URL")
    return f"PostgreSQL ({make_url(url).render_as_string()})" if url else "SQLite"


def pytest_report_header(config):
    return f"database: {_database_label()}"


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(f"database: {_database_label()}")


def empty_database_url(folder: Path, label: str = "test") -> str:
    """An empty database: SQLite in `folder`, or a new PostgreSQL database for this xdist worker."""
    admin_url = os.environ.get("PORTAL_TEST_DATABASE_URL")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    if not admin_url:
        return f"sqlite:///{folder / (label + '.sqlite3')}"
    import psycopg

    name = f"portal_{label}_{worker}"
    url = make_url(admin_url)
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)


class IsolatedClient(FlaskClient):
    """Each request gets its own app context, `g` and database session, as in production.

    Without this, requests reuse the test's pushed app context, so `g` (Flask-Login's current
    user, Flask-WTF's CSRF token) would leak from one client to the next.
    """

    def open(self, *args, buffered: bool = True, **kwargs):
        # Buffered: the body is read and close() called before this returns, as a real server does once the
        # response is sent (work done after the response, like a reset email, has happened by then).
        token = _cv_app.set(None)
        try:
            return super().open(*args, buffered=buffered, **kwargs)
        finally:
            _cv_app.reset(token)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "DATABASE_URL": empty_database_url(tmp_path_factory.mktemp("db")),
        "MAIL_OUTBOX": str(instance / "outbox"),
        "QUEUE_PATH": str(instance / "queue.sqlite3"),  # each worker's own: never the checkout's instance/
        "RATELIMIT_LOGIN": "10000 per minute",
        "RATELIMIT_LOGIN_ACCOUNT": "10000 per minute",
        "RATELIMIT_LOGIN_ACCOUNT_ALL": "10000 per minute",
        "RATELIMIT_TWO_FACTOR": "10000 per minute",
        "RATELIMIT_RESET": "10000 per minute",
        "RATELIMIT_POST": "10000 per minute",
        "RATELIMIT_INVITE": "10000 per minute",
        "CONTENT_DIR": str(REPO / "content"),
        "SERVER_NAME": None,
        "BASE_URL": "http://localhost",  # the test client's host: links in emails read http://localhost/...
        "SAFETY_PHRASES_RECHECK_SECONDS": None,  # a saved safety-word list counts in this process only
    })
    app.test_client_class = IsolatedClient
    with app.app_context():
        upgrade()  # the schema comes from the migrations, as in production
    yield app
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture
def fresh_app(tmp_path):
    """A separate application with its own instance folder and SQLite file, for config tests."""
    def build(**overrides):
        if not os.environ.get("PORTAL_DATABASE_URL"):
            overrides.setdefault("DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
        return create_app(overrides, instance_path=str(tmp_path / "instance"))
    return build


def empty_tables() -> None:
    """Remove every row of every table (tests only)."""
    with _db.engine.begin() as conn:
        # On PostgreSQL the audit log refuses DELETE (migration 0019): the owner lifts that for the clean-up only.
        guarded = conn.dialect.name == "postgresql"
        if guarded:
            conn.exec_driver_sql("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only")
        for table in reversed(_db.metadata.sorted_tables):
            conn.execute(table.delete())
        if guarded:
            conn.exec_driver_sql("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only")


@pytest.fixture(autouse=True)
def db(app):
    """A clean database for each test: every row is removed afterwards."""
    ctx = app.app_context()
    ctx.push()
    yield _db
    _db.session.rollback()
    _db.session.remove()
    empty_tables()
    from portal.extensions import limiter
    from portal.safeguarding.phrase_lists import forget_saved
    limiter.reset()
    forget_saved()  # a list a test saved is gone with its rows
    ctx.pop()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def outbox(app):
    """The messages written to the outbox so far, oldest first, parsed."""
    path = Path(app.config["MAIL_OUTBOX"])
    for old in path.glob("*.eml"):
        old.unlink()

    def read() -> list[EmailMessage]:
        files = sorted(path.glob("*.eml")) if path.exists() else []
        return [message_from_bytes(p.read_bytes(), policy=email_policy.default) for p in files]

    return read


# ---- factories ----------------------------------------------------------------------------------

_seq = itertools.count(1)
_PASSWORD_HASH: list[str] = []


def _password_hash() -> str:
    if not _PASSWORD_HASH:  # argon2 is slow on purpose: hash once per worker
        _PASSWORD_HASH.append(hash_password(PASSWORD))
    return _PASSWORD_HASH[0]


@pytest.fixture
def make_user(db):
    def make(email: str | None = None, *, name: str | None = None, admin: bool = False,
             active: bool = True, password: str | None = None, two_factor: bool | None = None) -> User:
        n = next(_seq)
        user = User(email=email or f"person{n}@example.org", display_name=name or f"Person {n}",
                    password_hash=hash_password(password) if password else _password_hash(),
                    is_site_admin=admin, active=active)
        if two_factor if two_factor is not None else admin:
            user.totp_secret, user.totp_enabled_at = TOTP_SECRET, utcnow()
        db.session.add(user)
        db.session.commit()
        return user
    return make


@pytest.fixture
def course(db) -> Course:
    """A small course (three sessions) and the confidentiality agreement, without reading content/."""
    course = Course(slug="test-course", title="Test course", summary="A course for tests.")
    db.session.add(course)
    db.session.flush()
    for n, title in enumerate(["Getting started", "What is recovery?", "Peer support"], start=1):
        db.session.add(CourseSession(course_id=course.id, number=n, slug=f"session-{n}", title=title,
                                     summary=f"Summary of session {n}.", aims=[f"Aim of session {n}"],
                                     key_concepts=["a concept"],
                                     discussion_prompts=[{"title": f"Prompt for session {n}",
                                                          "body": f"What did session {n} bring up for you?"}],
                                     body_source=f"Body of session {n}.", body_html=f"<p>Body of session {n}.</p>"))
    db.session.add(Agreement(slug="confidentiality", title="Our confidentiality agreement",
                             body_source="What is said here stays here.",
                             body_html="<p>What is said here stays here.</p>"))
    db.session.commit()
    return course


@pytest.fixture
def make_cohort(db, course):
    """Cohorts made by the real service: a timetable row per session and agreement version 1."""
    def make(name: str | None = None, *, status: str = "running", start_date=None) -> Cohort:
        return create_cohort(None, course, name or f"Cohort {next(_seq)}", start_date, status)
    return make


@pytest.fixture
def enrol(db):
    """Add someone to a cohort; by default they have accepted its current group agreement."""
    def add(user: User, cohort: Cohort, role: str = "learner", status: str = "active",
            accepted: bool = True) -> Membership:
        m = Membership(user_id=user.id, cohort_id=cohort.id, role=role, status=status)
        db.session.add(m)
        if accepted:
            version = db.session.scalars(AgreementVersion.select_current(cohort.id)).one()
            db.session.add(AgreementAcceptance(version_id=version.id, user_id=user.id))
        db.session.commit()
        return m
    return add


@pytest.fixture
def timetable(db):
    """The cohort's timetable rows, in session order: timetable(cohort)[0] is session 1."""
    def rows(cohort: Cohort) -> list[CohortSession]:
        return [entry for entry, _ in db.session.execute(CohortSession.select_timetable(cohort.id)).all()]
    return rows


# ---- signing in ---------------------------------------------------------------------------------

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def post_at_once(calls) -> list:
    """POST each (client, url, data) from its own thread, all released together (a double click, several
    tabs or browsers at the same moment); their responses, in the order given. An exception in any thread
    fails the test rather than being lost in it."""
    import threading

    start, responses, errors = threading.Barrier(len(calls)), [None] * len(calls), []

    def run(n, client, url, data):
        try:
            start.wait(timeout=30)
            responses[n] = client.post(url, data=data)
        except Exception as e:  # noqa: BLE001 (reported below)
            errors.append(repr(e))

    threads = [threading.Thread(target=run, args=(n, *call)) for n, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    return responses


def csrf_token(client, path: str = "/login") -> str:
    """The CSRF token a real browser would have from the page's form."""
    html = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client, email: str, password: str = PASSWORD, **extra):
    """Sign in through the real forms, completing the two-factor step when the account has one."""
    data = {"email": email, "password": password, "csrf_token": csrf_token(client), **extra}
    response = client.post("/login", data=data)
    if response.status_code == 302 and response.headers["Location"].startswith("/login/two-factor"):
        response = client.post(response.headers["Location"], data={
            "code": fresh_totp_code(email), "csrf_token": csrf_token(client, response.headers["Location"])})
    return response


def fresh_totp_code(email: str) -> str:
    """A code the server will accept: tests sign the same person in many times within 30 seconds, and each
    code works once, so the record of the last used step is cleared first."""
    import pyotp
    from sqlalchemy import update

    _db.session.execute(update(User).where(User.email == email).values(totp_last_step=None))
    _db.session.commit()
    return pyotp.TOTP(TOTP_SECRET).now()


@pytest.fixture
def auth(client):
    class Auth:
        def login(self, user_or_email, password: str = PASSWORD):
            email = getattr(user_or_email, "email", user_or_email)
            response = login(client, email, password)
            assert response.status_code == 302, "sign-in failed"
            return response

        def logout(self):
            return client.post("/logout", data={"csrf_token": csrf_token(client, "/home")})
    return Auth()


@pytest.fixture
def cohort(make_cohort):
    return make_cohort("Cohort North")


@pytest.fixture
def other_cohort(make_cohort):
    return make_cohort("Cohort South")


@pytest.fixture
def opened(db, cohort, timetable):
    """Session 1 of the cohort opened yesterday."""
    from datetime import timedelta

    from portal.dates import local_today

    timetable(cohort)[0].day = local_today() - timedelta(days=1)
    db.session.commit()
    return cohort


@pytest.fixture
def peer(make_user, enrol, cohort):
    """A second learner in the cohort."""
    user = make_user("peer@example.org", name="Pat Peer")
    enrol(user, cohort)
    return user


@pytest.fixture
def learner(make_user, enrol, cohort):
    user = make_user("learner@example.org", name="Lee Learner")
    enrol(user, cohort, "learner")
    return user


@pytest.fixture
def facilitator(make_user, enrol, cohort):
    user = make_user("facilitator@example.org", name="Fran Facilitator", two_factor=True)
    enrol(user, cohort, "facilitator")
    return user


@pytest.fixture
def outsider(make_user, enrol, other_cohort):
    user = make_user("outsider@example.org", name="Olu Outsider")
    enrol(user, other_cohort, "learner")
    return user


@pytest.fixture
def other_facilitator(make_user, enrol, other_cohort):
    user = make_user("other-facilitator@example.org", name="Oz Otherfac", two_factor=True)
    enrol(user, other_cohort, "facilitator")
    return user


@pytest.fixture
def loner(make_user):
    """Signed in, but a member of no cohort."""
    return make_user("loner@example.org", name="Lo Nobody")


@pytest.fixture
def suspended(make_user, enrol, cohort):
    user = make_user("paused@example.org", name="Sue Spended")
    enrol(user, cohort, "learner", status="suspended")
    return user


@pytest.fixture
def site_admin(make_user):
    return make_user("admin@example.org", name="Ada Admin", admin=True)


@pytest.fixture
def assert_isolated(app, outsider, other_facilitator, loner, db):
    """Assert a cohort URL answers 404 to everyone outside the cohort, and sign-in to anonymous visitors.

    Use it on every cohort route: `assert_isolated("/cohorts/1/members")`, or with method="POST".
    """
    def check(url: str, method: str = "GET", data: dict | None = None) -> None:
        anonymous = app.test_client().open(url, method=method, data=data or {})
        assert anonymous.status_code in (302, 400), f"anonymous {method} {url}: {anonymous.status_code}"
        if anonymous.status_code == 302:
            assert anonymous.headers["Location"].startswith("/login"), url
        for user in (outsider, other_facilitator, loner):
            client = app.test_client()
            login(client, user.email)
            payload = dict(data or {})
            if method != "GET":
                payload["csrf_token"] = csrf_token(client, "/account")
            response = client.open(url, method=method, data=payload)
            assert response.status_code == 404, f"{user.email} {method} {url}: {response.status_code}"
            body = response.get_data(as_text=True)
            for secret in ("Cohort North",):
                assert secret not in body, f"{url} leaks the cohort name to {user.email}"
    return check


@pytest.fixture
def count_queries(app):
    """Counts SQL statements run inside the with-block: `with count_queries() as n: ...; n()`."""
    from contextlib import contextmanager

    from sqlalchemy import event

    @contextmanager
    def counting():
        statements: list[str] = []

        def before(conn, cursor, statement, *args):
            statements.append(statement)

        engine = _db.engine
        event.listen(engine, "before_cursor_execute", before)
        try:
            counter = lambda: len(statements)  # noqa: E731
            counter.statements = statements
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", before)
    return counting


@pytest.fixture
def queue_waits(app):
    """Tasks are only enqueued, not run (the queue's immediate mode off): for measuring a request on its own,
    its notification fan-out left to the worker. Yields the queue; what was enqueued is dropped afterwards."""
    from portal import queue
    from portal.queue import huey

    # Back to this worker's own storage: an app another test created (the last app created wins) may have
    # pointed the queue at a file the other workers share, and their tasks would be counted here.
    queue.init_app(app)
    huey.immediate = False
    huey.flush()
    try:
        yield huey
    finally:
        huey.flush()
        huey.immediate = True


def post(client, url: str, data: dict | None = None, **kwargs):
    """POST as a signed-in browser would: with the session's CSRF token (taken from the account page)."""
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(client, "/account")}, **kwargs)
