import pytest


@pytest.fixture(autouse=True)
def own_storage(app, tmp_path, monkeypatch):
    """Stored files (submissions, exports) in this test's own folder."""
    monkeypatch.setitem(app.config, "STORAGE_PATH", str(tmp_path / "storage"))
    return tmp_path / "storage"


@pytest.fixture
def filled(db, learner, peer, facilitator, cohort, course, timetable):
    from tests.privacy.factories import fill_person

    return fill_person(learner, peer, facilitator, cohort, course, timetable)
