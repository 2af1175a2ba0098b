from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def storage_in_tmp(app, tmp_path, monkeypatch):
    """Uploaded handouts go to a folder of this test's own."""
    monkeypatch.setitem(app.config, "STORAGE_PATH", str(tmp_path / "storage"))
