"""Stored files: one folder every app process shares, names made by the portal, never half a file."""
from __future__ import annotations

import os
import stat

import pytest

from portal import create_app, storage
from portal.errors import NotFound


@pytest.fixture
def two_apps(tmp_path):
    """Two app processes' worth of configuration: separate instance folders, one shared storage path."""
    shared = tmp_path / "shared-storage"
    make = lambda name: create_app({"SECRET_KEY": "s" * 40, "STORAGE_PATH": str(shared),  # noqa: E731
                                    "DATABASE_URL": f"sqlite:///{tmp_path / name}.sqlite3"},
                                   instance_path=str(tmp_path / name))
    return make("one"), make("two"), shared


def test_a_file_stored_by_one_process_is_read_by_another(two_apps):
    one, two, shared = two_apps
    with one.app_context():
        key = storage.save(b"My reflective essay", "pdf")
    with two.app_context():
        assert storage.read(key) == b"My reflective essay"
        storage.delete(key)
    with one.app_context(), pytest.raises(NotFound):
        storage.read(key)
    assert not list(shared.rglob(".incoming-*"))  # nothing half-written left behind


def test_stored_files_are_owner_only_and_names_are_the_portals(two_apps):
    one, _two, shared = two_apps
    with one.app_context():
        first, second = storage.save(b"a", "PDF"), storage.save(b"a", "pdf")
        assert first != second and first.endswith(".pdf")
        path = storage.path_of(first)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert path.is_relative_to(shared)


@pytest.mark.parametrize("key", ["../../etc/passwd", "ab/../../secret_key", "/etc/passwd", "", "ab/cd.pdf",
                                 "AB/" + "0" * 30 + ".pdf", "ab/" + "0" * 30 + ".pdf/..", None])
def test_keys_the_portal_did_not_make_are_not_found(two_apps, key):
    one, _two, _shared = two_apps
    with one.app_context(), pytest.raises(NotFound):
        storage.path_of(key)


@pytest.mark.parametrize("suffix", ["../x", "p df", "", "verylongsuffix", "pdf\x00"])
def test_suffixes_that_are_not_plain_extensions_are_refused(two_apps, suffix):
    one, _two, shared = two_apps
    with one.app_context(), pytest.raises(storage.StorageError):
        storage.save(b"x", suffix)
    assert not [p for p in shared.rglob("*") if p.is_file()]


def test_files_over_the_size_limit_are_refused_with_a_clear_message(two_apps):
    one, _two, _shared = two_apps
    with one.app_context(), pytest.raises(storage.StorageError, match="up to 10 MB"):
        storage.save(b"x" * (storage.MAX_BYTES + 1), "pdf")


def test_the_default_storage_path_is_inside_the_instance_folder(tmp_path):
    app = create_app({"SECRET_KEY": "s" * 40, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"},
                     instance_path=str(tmp_path / "inst"))
    assert app.config["STORAGE_PATH"] == str(tmp_path / "inst" / "storage")
