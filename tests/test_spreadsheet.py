"""CSV downloads: formula cells are neutralised, the file opens in Excel as UTF-8, long cells are cut."""
import csv
import io

import pytest

from portal.spreadsheet import CELL_LIMIT, csv_response, csv_text, safe_cell


@pytest.mark.parametrize("hostile", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=1", "\r=1",
                                     "=HYPERLINK(\"http://x\",\"y\")"])
def test_cells_a_spreadsheet_would_run_start_with_a_quote(hostile):
    assert safe_cell(hostile) == "'" + hostile


@pytest.mark.parametrize("plain", ["Amira", "Session 2", "", "1", "café 🌱"])
def test_plain_cells_are_kept_as_they_are(plain):
    assert safe_cell(plain) == plain


def test_none_bool_and_numbers():
    assert (safe_cell(None), safe_cell(True), safe_cell(False), safe_cell(3)) == ("", "yes", "no", "3")
    assert safe_cell(-3) == "'-3"  # a negative number reads as a formula start: disarmed too


def test_a_huge_cell_is_cut_and_marked():
    cell = safe_cell("a" * 100_000)
    assert len(cell) < CELL_LIMIT + 10 and cell.endswith("[cut]")


def test_file_has_bom_crlf_and_round_trips(app):
    text = csv_text(["name", "note"], [["Ann, B", 'said "hi"\nthen left'], ["=x", None]])
    assert text.startswith("\ufeff") and "\r\n" in text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [["name", "note"], ["Ann, B", 'said "hi"\nthen left'], ["'=x", ""]]
    with app.test_request_context():
        response = csv_response("attendance é.csv", ["a"], [["=1"]])
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    assert "attendance%20%C3%A9.csv" in response.headers["Content-Disposition"]
    assert response.get_data().startswith("\ufeff".encode())
