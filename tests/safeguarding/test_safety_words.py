"""Site admins edit the safety-word list: checked line by line, saved as a new version (earlier ones kept,
audited), used by the matcher from then on without changing its API, and restorable to the default."""
from __future__ import annotations

from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.moderation.safety import default_matcher
from portal.safeguarding import phrase_lists
from portal.safeguarding.models import SafetyPhraseList
from tests.conftest import csrf_token, login

URL = "/admin/safety-words"


def _admin(app, site_admin):
    client = app.test_client()
    assert login(client, site_admin.email).status_code == 302
    return client


def test_the_page_shows_the_default_list_and_saving_changes_what_is_held(app, db, site_admin):
    client = _admin(app, site_admin)
    page = client.get(URL).get_data(as_text=True)
    assert "The default list" in page and "want to die" in page
    assert not default_matcher().holds("purple elephants")
    saved = client.post(URL, data={"phrases": "purple elephants\n", "csrf_token": csrf_token(client, URL)})
    assert saved.status_code == 302
    assert default_matcher().holds("I keep thinking about purple elephants")
    assert not default_matcher().holds("I want to die")  # the saved list replaces the default one
    assert "A list saved here is in use" in client.get(URL).get_data(as_text=True)
    restored = client.post(f"{URL}/restore", data={"csrf_token": csrf_token(client, URL)})
    assert restored.status_code == 302
    assert default_matcher().holds("I want to die") and not default_matcher().holds("purple elephants")
    versions = db.session.scalars(select(SafetyPhraseList).order_by(SafetyPhraseList.id)).all()
    assert [v.text for v in versions] == ["purple elephants\n", None]
    assert all(v.saved_by_id == site_admin.id for v in versions)
    assert [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))] == [
        "safety_words.saved", "safety_words.restored"]


def test_an_invalid_pattern_is_refused_naming_its_line_and_the_text_is_kept(app, db, site_admin):
    client = _admin(app, site_admin)
    text = "want to die\n{end|take my life\n"
    response = client.post(URL, data={"phrases": text, "csrf_token": csrf_token(client, URL)})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "line 2" in body and "not closed" in body and "{end|take my life" in body
    assert db.session.scalar(select(func.count()).select_from(SafetyPhraseList)) == 0
    empty = client.post(URL, data={"phrases": "# only a comment\n", "csrf_token": csrf_token(client, URL)})
    assert empty.status_code == 422 and "at least one safety phrase" in empty.get_data(as_text=True)
    huge = client.post(URL, data={"phrases": "word\n" * 30_000, "csrf_token": csrf_token(client, URL)})
    assert huge.status_code == 422 and huge.status_code < 500


def test_only_site_admins_reach_it(app, db, facilitator, learner):
    for user in (facilitator, learner):
        client = app.test_client()
        login(client, user.email)
        assert client.get(URL).status_code == 404
        assert client.post(URL, data={"phrases": "x y z", "csrf_token": csrf_token(client, "/account")}
                           ).status_code == 404


def test_another_process_saving_is_seen_within_the_recheck_interval(app, db, site_admin, count_queries):
    app.config["SAFETY_PHRASES_RECHECK_SECONDS"] = 0  # as a production process, checking every time
    try:
        db.session.add(SafetyPhraseList(text="orange giraffes", saved_by_id=site_admin.id))  # "another process"
        db.session.commit()
        assert default_matcher().holds("orange giraffes")
        with count_queries() as n:
            default_matcher().holds("orange giraffes")
        assert n() == 1  # the version number only: the compiled list is kept
        app.config["SAFETY_PHRASES_RECHECK_SECONDS"] = 3600
        db.session.add(SafetyPhraseList(text=None, saved_by_id=site_admin.id))
        db.session.commit()
        with count_queries() as n:
            assert default_matcher().holds("orange giraffes")  # not asked again within the interval
        assert n() == 0
    finally:
        app.config["SAFETY_PHRASES_RECHECK_SECONDS"] = None
        phrase_lists.forget_saved()


def test_lost_session_keeps_the_list(app, db, site_admin):
    from portal.keep.rescue import _signer
    client = app.test_client()
    response = client.post(URL, data={"phrases": "my careful list", "csrf_token": csrf_token(client, "/login"),
                                      "keep_owner": _signer(app.secret_key).dumps(site_admin.id)})
    assert response.status_code == 401 and "my careful list" in response.get_data(as_text=True)


def test_a_broken_saved_list_or_database_never_stops_posts_being_checked(app, db, site_admin, monkeypatch):
    app.config["SAFETY_PHRASES_RECHECK_SECONDS"] = 0
    try:
        db.session.add(SafetyPhraseList(text="{broken", saved_by_id=site_admin.id))  # past the checks somehow
        db.session.commit()
        assert default_matcher().holds("I want to die")  # the default list, not an error
        from sqlalchemy.exc import OperationalError

        def fail(*_args, **_kwargs):
            raise OperationalError("SELECT", {}, Exception("no such table"))
        monkeypatch.setattr(db.engine, "connect", fail)
        assert default_matcher().holds("I want to die")
    finally:
        app.config["SAFETY_PHRASES_RECHECK_SECONDS"] = None
        phrase_lists.forget_saved()
