from __future__ import annotations

import shutil

import pytest

from tests.conftest import REPO


@pytest.fixture
def content(tmp_path):
    """A writable copy of the real content folder."""
    root = tmp_path / "content"
    shutil.copytree(REPO / "content", root)
    return root
