"""Bad input when adding a resource: a clear message, never a 500, nothing stored, what was typed kept."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from portal.resources.models import Resource
from tests.assignments.factories import zip_bomb
from tests.conftest import csrf_token
from tests.resources.factories import pdf_bytes
from tests.resources.test_resources import add, stored


def count(db):
    return db.session.scalar(select(func.count(Resource.id)))


@pytest.fixture
def signed_in(client, auth, facilitator, opened):
    auth.login(facilitator)
    return client


@pytest.mark.parametrize("link", ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)",
                                  "data:text/html,<script>alert(1)</script>", "ftp://example.org/file",
                                  "https://", "example.org/page", "https://exa mple.org", "vbscript:msgbox(1)",
                                  "//example.org/page", "http:///nohost", "https://example.org:99999/"])
def test_links_that_are_not_http_or_https_are_refused_and_the_words_kept(signed_in, opened, db, link):
    response = add(signed_in, opened, title="My kept title", description="My kept description", url=link)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "must be a web address starting with http:// or https://" in page
    assert "My kept title" in page and "My kept description" in page
    assert count(db) == 0


@pytest.mark.parametrize("data, name, says", [
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "picture.pdf", "look like a PDF"),
    (b"Just some plain words in a text file.", "notes.docx", "look like a PDF"),
    (b"MZ\x90\x00" + b"\0" * 60, "setup.pptx", "look like a PDF"),
    (pdf_bytes()[:-8], "cut.pdf", "seems to be incomplete"),
    (b"", "empty.pdf", "That file is empty"),
    (b"PK\x03\x04broken zip", "broken.docx", "damaged or incomplete"),
])
def test_files_of_the_wrong_kind_are_refused_from_their_content(signed_in, opened, db, app, data, name, says):
    response = add(signed_in, opened, title="Kept title", upload=(io.BytesIO(data), name))
    page = response.get_data(as_text=True)
    assert response.status_code == 422, page
    assert says in page and "Kept title" in page and "Please choose the file again" in page
    assert count(db) == 0 and stored(app) == []


def test_a_zip_bomb_is_refused(signed_in, opened, db, app):
    response = add(signed_in, opened, title="Bomb", upload=(io.BytesIO(zip_bomb()), "big.docx"))
    assert response.status_code == 422 and "far larger inside" in response.get_data(as_text=True)
    assert count(db) == 0 and stored(app) == []


def test_a_handout_bigger_than_the_site_wide_limit_but_within_20_mb_is_added(signed_in, opened, db, app):
    big = pdf_bytes() + b"%" + b"x" * (5 * 1024 * 1024) + b"\n%%EOF\n"
    assert len(big) > app.config["MAX_CONTENT_LENGTH"]
    response = add(signed_in, opened, title="Big", upload=(io.BytesIO(big), "big.pdf"))
    assert response.status_code == 302
    assert db.session.scalars(select(Resource)).one().file_size == len(big)


def test_a_handout_over_20_mb_is_refused_plainly(signed_in, opened, db, app):
    huge = pdf_bytes() + b"x" * (21 * 1024 * 1024)
    response = add(signed_in, opened, title="Huge", upload=(io.BytesIO(huge), "huge.pdf"))
    assert response.status_code == 413
    assert "larger than 20 MB" in response.get_data(as_text=True)
    assert count(db) == 0 and stored(app) == []


def test_a_too_big_stream_without_a_length_is_stopped_by_the_storage_limit(app, db, facilitator, opened):
    from portal.resources import services
    from tests.resources.factories import upload

    with pytest.raises(services.files.FileRefused, match="larger than 20 MB"):
        services.add_resource(facilitator, opened, 1, "Huge", "", None,
                              upload(pdf_bytes() + b"x" * (21 * 1024 * 1024)))
    assert count(db) == 0 and stored(app) == []


def test_other_uploads_keep_the_site_wide_limit(client, auth, learner, opened):
    auth.login(learner)
    url = "/account"
    response = client.post(url, data={"csrf_token": csrf_token(client, url), "display_name": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413


@pytest.mark.parametrize("fields, says", [
    ({"title": "t" * 121, "url": "https://example.org"}, "A title can be up to 120 characters"),
    ({"title": "Fine", "description": "d" * 301, "url": "https://example.org"}, "up to 300 characters"),
    ({"title": "", "url": "https://example.org"}, "Please give the resource a title"),
    ({"title": "Nothing given"}, "Please give either a link or a file"),
    ({"title": "Both given", "url": "https://example.org", "upload": (io.BytesIO(pdf_bytes()), "a.pdf")},
     "Please give either a link or a file"),
    ({"title": "Long link", "url": "https://example.org/" + "a" * 2000}, "A link can be up to 2000 characters"),
])
def test_over_long_or_missing_fields_get_a_message_and_keep_what_was_typed(signed_in, opened, db, fields, says):
    response = add(signed_in, opened, **fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert says in page
    if fields["title"]:
        assert fields["title"] in page
    assert count(db) == 0


def test_a_session_that_does_not_exist_is_404(signed_in, opened):
    assert signed_in.get(f"/cohorts/{opened.id}/sessions/12/resources/new").status_code == 404
    assert signed_in.get(f"/cohorts/{opened.id}/sessions/12/resources").status_code == 404


def test_a_full_disk_keeps_the_words_and_says_so(signed_in, opened, db, app, monkeypatch):
    from portal import storage

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage, "save_stream", full)
    response = add(signed_in, opened, title="Disk full", upload=(io.BytesIO(pdf_bytes()), "a.pdf"))
    assert response.status_code == 503 and "Disk full" in response.get_data(as_text=True)
    assert count(db) == 0
