"""An export of a member with 2,000 posts and 20 MB of files: built in the background, in bounded memory.
Run with -s to see the measurements."""
from __future__ import annotations

import io
import os
import time
import tracemalloc

from sqlalchemy import insert

from portal import storage
from portal.assignments.models import Submission
from portal.dates import utcnow
from portal.discussions import services as discussions
from portal.discussions.models import Post
from portal.extensions import db
from portal.privacy.export import build_export
from portal.privacy.models import DataExport

POSTS, FILES, FILE_MB = 2000, 2, 10


def _big_member(learner, cohort):
    first = discussions.start_thread(learner, cohort, None, "A long thread", "Opening words", None, None)
    now = utcnow()
    words = "I have been thinking about what recovery means to me this week, and " * 8
    db.session.execute(insert(Post), [
        {"cohort_id": cohort.id, "thread_id": first.thread_id, "number": n + 2, "author_id": learner.id,
         "body_source": f"{words} ({n})", "body_html": f"<p>{words} ({n})</p>", "created_at": now}
        for n in range(POSTS - 1)])
    for n in range(FILES):
        key, size, digest = storage.save_stream(io.BytesIO(os.urandom(FILE_MB * 1024 * 1024)), "pdf",
                                                max_bytes=FILE_MB * 1024 * 1024)
        db.session.add(Submission(cohort_id=cohort.id, assignment_slug="essay", user_id=learner.id, version=n + 1,
                                  text="Essay", text_sha256="0" * 64, file_key=key, file_type="pdf",
                                  file_name=f"essay-{n}.pdf", file_size=size, file_sha256=digest))
    db.session.commit()


def test_a_big_export_builds_in_bounded_memory(learner, cohort):
    _big_member(learner, cohort)
    export = DataExport(user_id=learner.id)
    db.session.add(export)
    db.session.commit()
    started = time.perf_counter()
    build_export(export.id)
    seconds = time.perf_counter() - started

    second = DataExport(user_id=learner.id)
    db.session.add(second)
    db.session.commit()
    tracemalloc.start()
    build_export(second.id)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    db.session.refresh(export)
    assert export.status == "ready" and export.file_size > FILES * FILE_MB * 1024 * 1024
    print(f"\nexport of {POSTS} posts and {FILES * FILE_MB} MB of files: {seconds:.1f} s, "
          f"ZIP {export.file_size / 1024 / 1024:.1f} MB, peak traced memory {peak / 1024 / 1024:.1f} MB")
    assert peak < 16 * 1024 * 1024  # the files are never held whole: 20 MB of them would show here
    assert seconds < 60
