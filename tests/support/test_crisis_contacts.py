"""Crisis contacts come from content/support/crisis-contacts.yml: each deployment sets its own."""
from __future__ import annotations

import shutil

import pytest

from portal.course.loader import ContentError, read_content
from portal.support.contacts import read_crisis_contacts
from tests.conftest import REPO

FILE = "support/crisis-contacts.yml"


@pytest.fixture
def content(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(REPO / "content", root)
    return root


def test_the_uk_defaults_are_in_content():
    contacts = read_crisis_contacts(REPO / "content")
    hrefs = {c.href for c in contacts}
    assert {"tel:999", "tel:116123", "tel:111", "sms:85258?body=SHOUT"} <= hrefs
    assert {c.level for c in contacts} == {"emergency", "urgent"}
    shout = next(c for c in contacts if c.action == "text")
    assert (shout.number, shout.keyword) == ("85258", "SHOUT")


def test_a_deployments_own_file_changes_the_page(fresh_app, content):
    (content / FILE).write_text(
        "contacts:\n"
        "  - name: Emergency services\n    level: emergency\n    call: '112'\n    note: In danger now.\n"
        "  - name: Helpline\n    level: urgent\n    call: '+353 1 234 5678'\n    note: Any time.\n",
        encoding="utf-8")
    body = fresh_app(CONTENT_DIR=str(content)).test_client().get("/need-help-now").get_data(as_text=True)
    assert 'href="tel:112"' in body and 'href="tel:+35312345678"' in body and "+353 1 234 5678" in body
    assert "116 123" not in body and "tel:999" not in body


def test_an_edited_file_is_read_again_without_a_restart(fresh_app, content):
    app = fresh_app(CONTENT_DIR=str(content))
    client = app.test_client()
    assert "tel:116123" in client.get("/need-help-now").get_data(as_text=True)
    path = content / FILE
    path.write_text(path.read_text(encoding="utf-8").replace("116 123", "116 124"), encoding="utf-8")
    import os
    os.utime(path, ns=(1, 1))  # a different modification time, however fast the test runs
    assert "tel:116124" in client.get("/need-help-now").get_data(as_text=True)


@pytest.mark.parametrize("text, problem", [
    ("contacts:\n  - name: Samaritans\n    level: urgent\n   call: '116 123'\n    note: Any time.\n",
     "crisis-contacts.yml: is not valid YAML (line 4)"),
    ("contacts:\n  - name: A\n    level: urgent\n    call: '111'\n    note: Fine.\n"
     "  - name: Samaritans\n    level: urgent\n    call: 'one one six'\n    note: Any time.\n",
     "crisis-contacts.yml: line 6: 'call' must be a phone number"),
    ("contacts:\n  - name: Shout\n    level: urgent\n    text: '85258'\n    note: Any time.\n",
     "crisis-contacts.yml: line 2: 'keyword' is needed"),
    ("contacts:\n  - name: Someone\n    level: calm\n    call: '111'\n    note: Any time.\n",
     "crisis-contacts.yml: line 2: 'level' must be emergency or urgent"),
    ("contacts: []\n", "crisis-contacts.yml: needs at least one contact"),
])
def test_a_bad_file_names_the_problem_and_its_line(content, text, problem):
    (content / FILE).write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as error:
        read_crisis_contacts(content)
    assert any(problem in p for p in error.value.problems), error.value.problems


def test_a_bad_file_stops_content_load_and_the_app_from_starting(app, fresh_app, content):
    (content / FILE).write_text("contacts:\n  - name: Nobody\n", encoding="utf-8")
    with pytest.raises(ContentError, match="crisis-contacts.yml: line 2"):
        read_content(content)
    result = app.test_cli_runner().invoke(args=["content", "load", "--path", str(content)])
    assert result.exit_code == 1 and "crisis-contacts.yml: line 2" in result.output
    with pytest.raises(ContentError, match="crisis-contacts.yml"):
        fresh_app(CONTENT_DIR=str(content))


def test_a_file_broken_while_running_keeps_the_last_good_contacts(fresh_app, content, caplog):
    import os

    client = fresh_app(CONTENT_DIR=str(content)).test_client()
    (content / FILE).write_text("contacts: [\n", encoding="utf-8")
    os.utime(content / FILE, ns=(1, 1))
    response = client.get("/need-help-now")
    assert response.status_code == 200 and "tel:116123" in response.get_data(as_text=True)
    assert "crisis-contacts.yml" in caplog.text
