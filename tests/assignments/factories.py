"""Real files of each kind, made here, and a course long enough for the assignments to open."""
from __future__ import annotations

import io
import zipfile

from sqlalchemy import select

from portal.cohorts.models import CohortSession
from portal.course.models import CourseSession
from portal.dates import utcnow


def pdf_bytes(text: str = "My essay") -> bytes:
    body = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n")
    return body + f"% {text}\ntrailer<</Root 1 0 R>>\n%%EOF\n".encode()


def docx_bytes(entries: int = 0) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                                          'package/2006/content-types"/>')
        z.writestr("_rels/.rels", "<Relationships/>")
        z.writestr("word/document.xml", "<w:document><w:body><w:p>My essay</w:p></w:body></w:document>")
        for n in range(entries):
            z.writestr(f"word/media/{n}.xml", "")
    return out.getvalue()


def odt_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content>My essay</office:document-content>")
        z.writestr("META-INF/manifest.xml", "<manifest/>")
    return out.getvalue()


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * (120 * 1024 * 1024))
    return out.getvalue()


def add_sessions_to_eleven(db, course) -> None:
    have = set(db.session.scalars(select(CourseSession.number).where(CourseSession.course_id == course.id)))
    for n in range(1, 12):
        if n not in have:
            db.session.add(CourseSession(course_id=course.id, number=n, slug=f"session-{n}", title=f"Session {n}",
                                         summary="s", aims=["a"], key_concepts=["k"], discussion_prompts=[],
                                         body_source="b", body_html="<p>b</p>"))
    db.session.commit()


def open_session(db, cohort, number: int) -> None:
    for entry, session in db.session.execute(CohortSession.select_timetable(cohort.id)).all():
        if session.number == number:
            entry.released_at = utcnow()
    db.session.commit()
