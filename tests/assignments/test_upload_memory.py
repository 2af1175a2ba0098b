"""A 10 MB upload is streamed to storage: never held entirely in memory, let alone twice."""
from __future__ import annotations

import io
import tracemalloc

from sqlalchemy import select
from werkzeug.test import EnvironBuilder

from portal.assignments.models import Submission
from tests.assignments.factories import pdf_bytes
from tests.conftest import csrf_token


def test_a_10_mb_upload_is_streamed(app, client, auth, learner, opened, db):
    auth.login(learner)
    url = f"/cohorts/{opened.id}/assignments/my-recovery-story"
    data = b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 - 2000) + pdf_bytes()[9:]
    builder = EnvironBuilder(path=url, method="POST", data={
        "csrf_token": csrf_token(client, url), "text": "", "submit": "1", "upload": (io.BytesIO(data), "big.pdf")})
    environ = builder.get_environ()  # the request body is built before measuring: the browser's side
    del data
    tracemalloc.start()
    try:
        response = client.open(environ)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 302
    assert db.session.scalars(select(Submission)).one().file_size > 10 * 1024 * 1024 - 4096
    assert peak < 5 * 1024 * 1024, f"peak {peak / 1024 / 1024:.1f} MB"
