"""My data: the request only enqueues; the ZIP is built in the background; the link is signed, works only
for the person signed in, and expires with a friendly page."""
from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta

from sqlalchemy import select

from portal.dates import utcnow
from portal.extensions import db
from portal.privacy.models import DataExport
from portal.queue import huey
from tests.conftest import post


def _link(client) -> str:
    page = client.get("/my-data").get_data(as_text=True)
    found = re.search(r'href="(/my-data/exports/\d+/[^"]+)"', page)
    assert found, page
    return found.group(1)


def test_asking_builds_a_zip_that_only_its_owner_can_download(filled, app, learner, peer, auth, client):
    auth.login(learner)
    answer = post(client, "/my-data/exports")
    assert answer.status_code == 302
    link = _link(client)
    download = client.get(link)
    assert download.status_code == 200 and download.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(download.data)).namelist()
    assert "README.md" in names and any(n.startswith("files/") for n in names)

    auth.logout()
    auth.login(peer)
    assert client.get(link).status_code == 404  # someone else's: as if it did not exist
    export_id = link.split("/")[3]
    assert client.get(f"/my-data/exports/{export_id}/forged-token").status_code == 404


def test_a_forged_or_reused_token_is_refused(filled, learner, peer, auth, client):
    from portal.privacy.services import request_export, sign_export

    mine, _ = request_export(learner)
    theirs, _ = request_export(peer)
    auth.login(learner)
    # peer's valid token on learner's export id: refused
    assert client.get(f"/my-data/exports/{mine.id}/{sign_export(theirs)}").status_code == 404
    assert client.get(f"/my-data/exports/{mine.id}/{sign_export(mine)}").status_code == 200


def test_an_expired_download_answers_a_friendly_page(learner, auth, client):
    from portal.privacy.services import request_export

    export, _ = request_export(learner)
    auth.login(learner)
    link = _link(client)
    db.session.get(DataExport, export.id).expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    answer = client.get(link)
    assert answer.status_code == 410
    assert "ask for a fresh one" in answer.get_data(as_text=True)


def test_expired_exports_are_deleted_with_their_files(learner):
    from portal import storage
    from portal.privacy.services import delete_expired_exports, request_export

    export, _ = request_export(learner)
    path = storage.path_of(export.file_key)
    export.expires_at = utcnow() - timedelta(days=1)
    db.session.commit()
    assert delete_expired_exports() == 1
    assert not path.exists() and db.session.scalars(select(DataExport)).all() == []


def test_the_request_only_enqueues_and_a_double_submit_makes_one(app, learner, auth, client):
    auth.login(learner)
    huey.immediate = False  # a real queue: nothing runs until a worker takes the task
    try:
        huey.flush()
        assert post(client, "/my-data/exports").status_code == 302
        assert post(client, "/my-data/exports").status_code == 302
        exports = db.session.scalars(select(DataExport)).all()
        assert [e.status for e in exports] == ["queued"] and huey.pending_count() == 1
        assert "Being put together" in client.get("/my-data").get_data(as_text=True)
        huey.execute(huey.dequeue())  # the worker
        db.session.expire_all()
        assert db.session.get(DataExport, exports[0].id).status == "ready"
    finally:
        huey.flush()
        huey.immediate = True


def test_a_second_run_of_the_task_does_nothing(learner):
    from portal.privacy.export import build_export
    from portal.privacy.services import request_export

    export, _ = request_export(learner)
    key = export.file_key
    build_export(export.id)
    assert db.session.get(DataExport, export.id).file_key == key


def test_the_page_runs_a_fixed_number_of_queries(learner, auth, client, count_queries):
    from portal.privacy.services import request_export

    for _ in range(3):
        request_export(learner)
    auth.login(learner)
    client.get("/my-data")
    with count_queries() as n:
        assert client.get("/my-data").status_code == 200
    assert n() <= 10


def test_a_link_older_than_its_lifetime_answers_the_friendly_page(app, learner, auth, client, monkeypatch):
    from portal.privacy.services import request_export

    request_export(learner)
    auth.login(learner)
    link = _link(client)
    monkeypatch.setitem(app.config, "DATA_EXPORT_DAYS", -1)  # the signature's own time limit has passed
    answer = client.get(link)
    assert answer.status_code == 410 and "Go to your data" in answer.get_data(as_text=True)
