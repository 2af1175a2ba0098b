"""The shared upload checker (portal/uploads.py) against hostile files: what a file is comes from its bytes,
ZIP containers are opened with limits, and each office kind must hold what that kind holds."""
from __future__ import annotations

import io
import zipfile

import pytest

from portal import uploads
from portal.uploads import FileRefused, Wording, document_kind
from tests.assignments.factories import docx_bytes, odt_bytes, pdf_bytes
from tests.resources.factories import pptx_bytes

WORDS = Wording(empty="EMPTY", not_allowed="NOT ALLOWED", too_big_inside="TOO BIG INSIDE", damaged="DAMAGED")
ALL = ("pdf", "docx", "odt", "pptx")


def judged(tmp_path, data: bytes, kinds=ALL) -> str:
    path = tmp_path / "upload"
    path.write_bytes(data)
    return document_kind(path, len(data), kinds, WORDS)


def refused(tmp_path, data: bytes, kinds=ALL) -> str:
    with pytest.raises(FileRefused) as caught:
        judged(tmp_path, data, kinds)
    return caught.value.message


def a_zip(members: dict[str, bytes | str], method=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def test_each_kind_is_known_from_its_bytes(tmp_path):
    assert [judged(tmp_path, d) for d in (pdf_bytes(), docx_bytes(), odt_bytes(), pptx_bytes())] == list(ALL)


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_a_truncated_zip_is_damaged(tmp_path, cut):
    data = docx_bytes(entries=30)
    assert refused(tmp_path, data[:int(len(data) * cut)]) == "DAMAGED"


def test_a_zip_bomb_is_refused_by_its_ratio_even_under_the_size_limit(tmp_path):
    bomb = a_zip({"[Content_Types].xml": "<Types/>", "word/document.xml": b"\0" * (30 * 1024 * 1024)})
    assert len(bomb) < 100 * 1024 and refused(tmp_path, bomb) == "TOO BIG INSIDE"


def test_too_much_inside_or_too_many_members_is_refused(tmp_path):
    assert refused(tmp_path, docx_bytes(entries=uploads.MAX_ENTRIES + 1)) == "TOO BIG INSIDE"
    big = a_zip({"[Content_Types].xml": "<Types/>", "word/document.xml": b"\0" * (uploads.MAX_UNCOMPRESSED + 1)})
    assert refused(tmp_path, big) == "TOO BIG INSIDE"


def test_a_large_honest_member_is_fine(tmp_path):
    stored = a_zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>",
                    "word/media/photo.jpeg": bytes(range(256)) * 8192}, method=zipfile.ZIP_STORED)
    assert judged(tmp_path, stored) == "docx"


@pytest.mark.parametrize("members", [
    {"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"},  # an .ods as .odt
    {"mimetype": "application/vnd.oasis.opendocument.text-but-not", "content.xml": "<x/>"},
    {"mimetype": "application/vnd.oasis.opendocument.text"},  # no content.xml
    {"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<x/>"},  # a spreadsheet
    {"word/document.xml": "<w:document/>"},  # no [Content_Types].xml
    {"notes.txt": "hello"},  # a plain zip
])
def test_a_zip_without_its_kinds_members_is_not_a_document(tmp_path, members):
    assert refused(tmp_path, a_zip(members)) == "NOT ALLOWED"


def test_a_kind_the_feature_does_not_take_is_refused(tmp_path):
    assert refused(tmp_path, pptx_bytes(), kinds=("pdf", "docx", "odt")) == "NOT ALLOWED"
    assert refused(tmp_path, pdf_bytes(), kinds=("docx",)) == "NOT ALLOWED"


def test_a_huge_odt_mimetype_member_is_not_read_whole(tmp_path):
    sneaky = a_zip({"mimetype": "application/vnd.oasis.opendocument.text" + " " * 500_000, "content.xml": "<x/>"},
                   method=zipfile.ZIP_STORED)
    assert judged(tmp_path, sneaky) == "odt"  # what it says, stripped: only its first bytes were read


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n" + b"\0" * 100,  # a picture renamed essay.docx
    b"MZ\x90\0" + b"\0" * 100,  # a program renamed handout.pdf
    b"Just some text saved as .odt",
    b"PK\x05\x06" + b"\0" * 18,  # an empty zip
])
def test_a_renamed_file_is_judged_by_its_bytes(tmp_path, data):
    assert refused(tmp_path, data) in ("NOT ALLOWED", "DAMAGED")


def test_empty_and_cut_off_pdfs(tmp_path):
    assert refused(tmp_path, b"") == "EMPTY"
    assert refused(tmp_path, pdf_bytes()[:-8]) == uploads.INCOMPLETE_PDF


def test_a_renamed_document_is_stored_as_what_it_is(app, db, cohort, facilitator, opened, tmp_path, monkeypatch):
    """A Word file named handout.pdf is stored as a Word file, offered as handout.docx."""
    from tests.resources.factories import add_file
    monkeypatch.setitem(app.config, "STORAGE_PATH", str(tmp_path / "storage"))
    row = add_file(facilitator, opened, data=docx_bytes(), name="handout.pdf")
    assert (row.file_type, row.file_name) == ("docx", "handout.docx")
    assert uploads.clean_name("../../etc/\x00.pdf", "pdf", fallback="handout") == "handout.pdf"


def test_both_features_refuse_a_ratio_bomb(tmp_path):
    from portal.assignments import files as work
    from portal.resources import files as handouts
    bomb = a_zip({"[Content_Types].xml": "<Types/>", "word/document.xml": b"\0" * (30 * 1024 * 1024)})
    path = tmp_path / "bomb"
    path.write_bytes(bomb)
    for feature in (work, handouts):
        with pytest.raises(FileRefused, match="far larger inside"):
            feature.judge(path, len(bomb))
