"""Resources made through the real services, real files of each kind, and the course's own rows."""
from __future__ import annotations

import io
import zipfile

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from portal.course.models import CourseSession
from portal.extensions import db
from portal.resources import services
from portal.resources.models import Resource
from tests.assignments.factories import docx_bytes, odt_bytes, pdf_bytes  # noqa: F401  (re-exported for tests)


def pptx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                                          'package/2006/content-types"/>')
        z.writestr("_rels/.rels", "<Relationships/>")
        z.writestr("ppt/presentation.xml", "<p:presentation/>")
        z.writestr("ppt/slides/slide1.xml", "<p:sld>Slide one</p:sld>")
    return out.getvalue()


def upload(data: bytes, name: str = "handout.pdf") -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


def add_link(actor, cohort, number: int = 1, title: str = "A useful page", url: str = "https://example.org/page",
             description: str = "") -> Resource:
    return services.add_resource(actor, cohort, number, title, description, url)


def add_file(actor, cohort, number: int = 1, title: str = "A handout", data: bytes | None = None,
             name: str = "handout.pdf") -> Resource:
    return services.add_resource(actor, cohort, number, title, "", None, upload(data or pdf_bytes(), name))


def course_resource(course, number: int = 1, slug: str = "course-page", *, file: str | None = None,
                    title: str = "From the course") -> Resource:
    """One of the course's own resources (as `flask content load` makes them): a link, or a file in content/."""
    session_id = db.session.scalar(select(CourseSession.id).where(CourseSession.course_id == course.id,
                                                                  CourseSession.number == number))
    row = Resource(course_id=course.id, course_session_id=session_id, slug=slug, title=title, description="",
                   kind="file" if file else "link", url=None if file else "https://course.example.org/read",
                   content_file=file, file_name=file, file_type=file.rsplit(".", 1)[1] if file else None,
                   file_size=100 if file else None)
    db.session.add(row)
    db.session.commit()
    return row
