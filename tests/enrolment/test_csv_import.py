"""Reading CSV files as spreadsheets really save them, without a request; and checking them in few queries."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.enrolment import services
from portal.enrolment.csv_import import CsvProblem, parse_rows
from portal.enrolment.models import Invitation
from portal.errors import RuleViolation


def people(data: bytes) -> list[tuple[str, str]]:
    return [(r["name"], r["email"]) for r in parse_rows(data)]


@pytest.mark.parametrize("data,expected", [
    (b"Email,Name\r\nada@example.org,Ada\r\n", [("Ada", "ada@example.org")]),  # header in any order
    (b"E-MAIL ADDRESS;FULL NAME\nada@example.org;Ada\n", [("Ada", "ada@example.org")]),  # any case, semicolons
    (b"email\nada@example.org\n", [("", "ada@example.org")]),  # a header with no name column
    (b"Ada Mailer,ada@example.org\nBo,bo@example.org\n",  # "mail" in a name is not a header
     [("Ada Mailer", "ada@example.org"), ("Bo", "bo@example.org")]),
    ("Smith, Ada;ada@example.org\nJones, Bo;bo@example.org\n".encode(),  # semicolons, commas inside names
     [("Smith, Ada", "ada@example.org"), ("Jones, Bo", "bo@example.org")]),
    (b"Mary 'Mo' Smith,mo@example.org\n", [("Mary 'Mo' Smith", "mo@example.org")]),  # apostrophes don't quote
    (b"ada@example.org\nbo@example.org\n", [("", "ada@example.org"), ("", "bo@example.org")]),  # addresses only
    (b"Ada,ada@example.org\rBo,bo@example.org\r", [("Ada", "ada@example.org"), ("Bo", "bo@example.org")]),  # old Mac
    (b"Ada\tada@example.org\n", [("Ada", "ada@example.org")]),  # tab-separated
    (b'"Ada\r\nOne",ada@example.org\r\n', [("Ada One", "ada@example.org")]),  # a line break inside quotes
    ("\ufeffName,Email\r\nZoë,zoe@example.org\r\n".encode("utf-16"), [("Zoë", "zoe@example.org")]),  # UTF-16
    (b"  Ada  ,  ada@example.org  \n", [("Ada", "ada@example.org")]),  # spaces around cells
])
def test_spreadsheet_exports_are_read(data, expected):
    assert people(data) == expected


def test_lines_are_numbered_as_in_the_file():
    rows = parse_rows(b'name,email\n\n"Ada\nOne",ada@example.org\nBo,bo@example.org\n')
    assert [r["line"] for r in rows] == [3, 5]


@pytest.mark.parametrize("data,message", [
    (b"", "The file is empty"),
    (b"\n\r\n  \n", "The file is empty"),
    (b"Name;Email\r\n\r\n", "only a header row"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "binary data"),
    (b"Ada,ada@example.org\n" * 300 + b"\x00\x01", "binary data"),  # a NUL after the first few kilobytes
    (b"\x81\x8d\x8f,\x90@example.org\n", "could not be read"),  # neither UTF-8 nor Windows-1252
    (b'"' + b"a" * 200_000 + b'",ada@example.org\n', "Line 1 of the file couldn't be read"),  # past csv's limit
])
def test_unreadable_files_are_explained(data, message):
    with pytest.raises(CsvProblem, match=message):
        parse_rows(data)


def test_row_problems_are_found_without_the_database():
    rows = parse_rows(("name,email\nNo Address,\nBad,ada@@example\n" + "N" * 81 + ",long@example.org\n"
                       "Huge,{}@example.org\n").format("a" * 300).encode())
    assert [r["problem"] for r in rows] == ["No email address", "Email address is not in the right format",
                                            "Name is longer than 80 characters", "Email address is too long"]


def test_control_characters_are_dropped_from_names():
    assert people("Ada\u0007 \u001bOne,ada@example.org\n".encode()) == [("Ada One", "ada@example.org")]


def test_more_than_five_thousand_people_is_refused():
    data = "".join(f"P{n},p{n}@example.org\n" for n in range(5001)).encode()
    with pytest.raises(CsvProblem, match="5,001 rows"):
        parse_rows(data)
    assert len(parse_rows(data[:data.index(b"P5000,")])) == 5000


def _csv(n: int) -> bytes:
    return ("name,email\n" + "".join(f"Person {i},person{i}@example.org\n" for i in range(n))).encode()


def test_checking_a_file_takes_the_same_few_queries_for_any_length(app, cohort, facilitator, count_queries):
    with count_queries() as small:
        services.preview_csv(facilitator, cohort, "small.csv", _csv(5))
    with count_queries() as large:
        services.preview_csv(facilitator, cohort, "large.csv", _csv(2000))
    assert small() == large() <= 5


def test_members_invitations_and_repeats_are_marked(app, db, cohort, facilitator, learner, make_invitation,
                                                    make_user, enrol):
    make_invitation(cohort, email="Waiting@Example.org")
    make_invitation(cohort, email="withdrawn@example.org", revoked_at=services.utcnow())
    enrol(make_user("gone@example.org"), cohort, status="left")
    data = (f"Lee,{learner.email.upper()}\nWait,waiting@example.org\nAgain,withdrawn@example.org\n"
            "Back,gone@example.org\nTwice,WITHDRAWN@example.org\n").encode()
    rows = services.preview_csv(facilitator, cohort, "p.csv", data).rows
    assert [r["problem"] for r in rows] == [
        "Already a member of this cohort", "Already invited (the invitation hasn't been accepted yet)",
        None, None, "Appears twice in this file (also line 3)"]


def test_confirming_invites_each_good_row_once(app, db, cohort, facilitator, outbox):
    with app.test_request_context():
        imported = services.preview_csv(facilitator, cohort, "p.csv", b"Ada,ada@example.org\nBo,bo@example.org\n")
        assert services.confirm_import(facilitator, cohort, imported) == 2
        with pytest.raises(RuleViolation, match="already been imported"):
            services.confirm_import(facilitator, cohort, imported)
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 2
    assert sorted(m["To"] for m in outbox()) == ["ada@example.org", "bo@example.org"]


def test_someone_who_joined_after_the_preview_is_not_invited(app, db, cohort, facilitator, make_user, enrol, outbox):
    with app.test_request_context():
        imported = services.preview_csv(facilitator, cohort, "p.csv", b"Ada,ada@example.org\nBo,bo@example.org\n")
        enrol(make_user("bo@example.org"), cohort)
        assert services.confirm_import(facilitator, cohort, imported) == 1
    assert [m["To"] for m in outbox()] == ["ada@example.org"]
