from __future__ import annotations

import pytest

from tests.assignments.factories import add_sessions_to_eleven, open_session


@pytest.fixture(autouse=True)
def eleven_sessions(db, course, app, tmp_path, monkeypatch):
    """The assignments open after sessions 6 and 11: the course here has all eleven. Files go to tmp."""
    add_sessions_to_eleven(db, course)
    monkeypatch.setitem(app.config, "STORAGE_PATH", str(tmp_path / "storage"))


@pytest.fixture
def opened(db, cohort):
    open_session(db, cohort, 6)
    return cohort
