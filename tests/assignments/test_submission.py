"""Handing in: real files of each kind, receipts whose hashes match the stored bytes, versions, bad input."""
from __future__ import annotations

import hashlib
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.assignments.models import AssignmentDue, AssignmentExtension, Submission
from portal.dates import utcnow
from tests.assignments.factories import docx_bytes, odt_bytes, pdf_bytes, zip_bomb
from tests.conftest import csrf_token

URL = "/cohorts/{}/assignments/my-recovery-story"


def hand_in(client, cohort, text="", file=None, name="essay.pdf", **extra):
    url = URL.format(cohort.id)
    data = {"csrf_token": csrf_token(client, url), "text": text, "submit": "1", **extra}
    if file is not None:
        data["upload"] = (io.BytesIO(file), name)
    return client.post(url, data=data, content_type="multipart/form-data")


def stored_files(app) -> list[Path]:
    root = Path(app.config["STORAGE_PATH"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def count(db):
    return db.session.scalar(select(func.count(Submission.id)))


@pytest.mark.parametrize("make, name, kind", [(pdf_bytes, "essay.pdf", "pdf"), (docx_bytes, "essay.docx", "docx"),
                                              (odt_bytes, "essay.odt", "odt")])
def test_each_kind_is_stored_and_the_receipt_hash_matches_the_stored_bytes(
        app, db, client, auth, learner, opened, outbox, make, name, kind):
    auth.login(learner)
    data = make()
    response = hand_in(client, opened, "My story in a few words.", data, name)
    assert response.status_code == 302
    row = db.session.scalars(select(Submission)).one()
    assert row.file_type == kind and row.version == 1 and not row.is_late
    [path] = stored_files(app)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == row.file_sha256 == hashlib.sha256(data).hexdigest()
    assert row.text_sha256 == hashlib.sha256(b"My story in a few words.").hexdigest()
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert row.file_sha256 in page and row.text_sha256 in page
    [mail] = [m for m in outbox() if m["To"] == learner.email]
    assert row.file_sha256 in mail.get_content() and row.text_sha256 in mail.get_content()


def test_text_only_and_the_word_count_on_preview_without_javascript(client, auth, learner, opened, db):
    auth.login(learner)
    url = URL.format(opened.id)
    page = client.post(url, data={"csrf_token": csrf_token(client, url), "text": "one two three", "preview": "1"})
    assert page.status_code == 200 and "3 words" in page.get_data(as_text=True)
    assert count(db) == 0
    assert hand_in(client, opened, "one two three").status_code == 302
    assert db.session.scalars(select(Submission)).one().word_count == 3


def test_resubmitting_keeps_every_version(client, auth, learner, opened, db):
    auth.login(learner)
    hand_in(client, opened, "First go.")
    hand_in(client, opened, "Second go.", pdf_bytes())
    rows = db.session.scalars(select(Submission).order_by(Submission.version)).all()
    assert [(r.version, r.text) for r in rows] == [(1, "First go."), (2, "Second go.")]


def test_late_is_marked_late_and_an_extension_makes_it_on_time(client, auth, learner, opened, db):
    db.session.add(AssignmentDue(cohort_id=opened.id, assignment_slug="my-recovery-story",
                                 due_at=utcnow() - timedelta(days=1)))
    db.session.commit()
    auth.login(learner)
    hand_in(client, opened, "Late words.")
    assert db.session.scalars(select(Submission)).one().is_late
    db.session.add(AssignmentExtension(cohort_id=opened.id, assignment_slug="my-recovery-story", user_id=learner.id,
                                       due_at=utcnow() + timedelta(days=3)))
    db.session.commit()
    hand_in(client, opened, "On time now.")
    assert not db.session.scalars(select(Submission).where(Submission.version == 2)).one().is_late


def test_the_final_assignment_refuses_late_work_and_keeps_the_text(client, auth, learner, cohort, db):
    from tests.assignments.factories import open_session

    open_session(db, cohort, 11)
    db.session.add(AssignmentDue(cohort_id=cohort.id, assignment_slug="final-assignment",
                                 due_at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    auth.login(learner)
    url = f"/cohorts/{cohort.id}/assignments/final-assignment"
    page = client.post(url, data={"csrf_token": csrf_token(client, url), "text": "Words I must not lose",
                                  "submit": "1"})
    assert page.status_code == 409
    body = page.get_data(as_text=True)
    assert "due date for this assignment has passed" in body and "Words I must not lose" in body
    assert count(db) == 0


def test_not_open_before_its_session(client, auth, learner, cohort, db):
    auth.login(learner)
    assert hand_in(client, cohort, "Too early.").status_code == 409
    assert count(db) == 0


@pytest.mark.parametrize("data, name, words", [
    (b"MZ\x90\x00" + b"\x00" * 200, "essay.pdf", "look like a PDF"),
    (b"", "essay.pdf", "That file is empty"),
    (pdf_bytes()[:60], "essay.pdf", "incomplete"),
    (docx_bytes(entries=2_100), "essay.docx", "far larger inside"),
    (b"PK\x03\x04garbage-that-is-not-a-zip" * 3, "essay.docx", "damaged"),
    (b"plain text pretending", "essay.odt", "look like a PDF"),
])
def test_bad_files_are_refused_plainly_and_nothing_is_left(app, client, auth, learner, opened, db, data, name, words):
    auth.login(learner)
    response = hand_in(client, opened, "My text stays.", data, name)
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and words in body and "My text stays." in body
    assert count(db) == 0 and stored_files(app) == []


def test_a_zip_bomb_is_refused(app, client, auth, learner, opened, db):
    auth.login(learner)
    bomb = zip_bomb()
    assert len(bomb) < 1024 * 1024
    response = hand_in(client, opened, "", bomb, "essay.docx")
    assert response.status_code == 422 and "far larger inside" in response.get_data(as_text=True)
    assert stored_files(app) == []


def test_a_100000_entry_docx_is_refused(app, client, auth, learner, opened, db):
    auth.login(learner)
    response = hand_in(client, opened, "", docx_bytes(entries=100_000), "essay.docx")
    assert response.status_code in (413, 422) and stored_files(app) == [] and count(db) == 0


def test_a_50_mb_upload_gets_a_friendly_page(client, auth, learner, opened, db):
    auth.login(learner)
    response = hand_in(client, opened, "", b"%PDF-1.4\n" + b"0" * (50 * 1024 * 1024), "big.pdf")
    assert response.status_code == 413
    assert "larger than 10 MB" in response.get_data(as_text=True) and count(db) == 0


def test_an_11_mb_pdf_within_the_request_limit_is_refused_by_size(app, client, auth, learner, opened, db):
    auth.login(learner)
    response = hand_in(client, opened, "", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 100), "big.pdf")
    assert response.status_code in (413, 422) and count(db) == 0 and stored_files(app) == []


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "es\0say.pdf", "es\x1b[31msay\x07\t.pdf", "a" * 1000 + ".pdf",
                                  "..\\..\\boot.ini"])
def test_hostile_filenames_are_cleaned(app, client, auth, learner, opened, db, name):
    auth.login(learner)
    assert hand_in(client, opened, "", pdf_bytes(), name).status_code == 302
    row = db.session.scalars(select(Submission)).one()
    assert re.fullmatch(r"[\w .()-]{1,80}\.pdf", row.file_name) and ".." not in row.file_name
    [path] = stored_files(app)
    assert Path(app.config["STORAGE_PATH"]) in path.parents


def test_a_full_disk_keeps_the_text_and_tells_the_learner(app, client, auth, learner, opened, db, monkeypatch):
    import portal.storage

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(portal.storage.os, "fsync", full)
    auth.login(learner)
    response = hand_in(client, opened, "Everything I wrote tonight.", pdf_bytes())
    body = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "couldn&#39;t be saved" in body and "Everything I wrote tonight." in body
    assert count(db) == 0 and stored_files(app) == []


def test_an_earlier_version_survives_a_failed_resubmission(app, client, auth, learner, opened, db):
    auth.login(learner)
    hand_in(client, opened, "Kept.", pdf_bytes())
    hand_in(client, opened, "", b"MZ" + b"\0" * 100, "evil.pdf")
    assert count(db) == 1 and len(stored_files(app)) == 1


def test_an_unknown_assignment_is_404(client, auth, learner, opened):
    auth.login(learner)
    assert client.get(f"/cohorts/{opened.id}/assignments/not-an-assignment").status_code == 404


def test_a_lost_session_keeps_the_words(client, auth, learner, opened):
    url = URL.format(opened.id)
    auth.login(learner)
    html = client.get(url).get_data(as_text=True)
    owner = re.search(r'name="keep_owner" value="([^"]+)"', html).group(1)
    auth.logout()
    answer = client.post(url, data={"text": "Words I must not lose", "keep_owner": owner, "csrf_token": "expired"})
    assert answer.status_code in (400, 401)
    assert "Words I must not lose" in answer.get_data(as_text=True)
    auth.login(learner)
    assert "Words I must not lose" in client.get(url).get_data(as_text=True)


def test_the_cohort_menu_leads_to_the_assignments(client, auth, learner, opened):
    auth.login(learner)
    page = client.get(f"/cohorts/{opened.id}/assignments").get_data(as_text=True)
    assert f'href="/cohorts/{opened.id}/assignments"' in page and "Reflective essay: my recovery story" in page
