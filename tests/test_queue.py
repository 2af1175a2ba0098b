"""The task queue's storage follows the app's config, and tasks run inside an app context."""
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

from portal import create_app
from portal.queue import huey, task


@task()
def _app_name(suffix):
    from flask import current_app

    return current_app.import_name + suffix


def test_immediate_mode_runs_tasks_at_once_in_memory(app):
    assert huey.immediate and isinstance(huey.storage, MemoryStorage)
    with app.app_context():
        assert _app_name("!")() == "portal!"


def test_without_immediate_mode_tasks_wait_in_sqlite_under_instance(tmp_path, app):
    try:
        other = create_app({"TESTING": True, "QUEUE_IMMEDIATE": False}, instance_path=str(tmp_path / "inst"))
        assert isinstance(huey.storage, SqliteStorage)
        assert huey.storage.filename == str(tmp_path / "inst" / "queue.sqlite3")
        with other.app_context():
            _app_name("?")
        assert huey.pending_count() == 1
        job = huey.dequeue()
        assert huey.execute(job) == "portal?"  # the consumer runs it with an app context of its own
    finally:
        create_app({"TESTING": True}, instance_path=str(tmp_path / "back"))  # immediate again for later tests
        huey.immediate = True


def test_redis_url_selects_redis_storage(tmp_path):
    try:
        create_app({"TESTING": True, "QUEUE_IMMEDIATE": False, "REDIS_URL": "redis://127.0.0.1:1/0"},
                   instance_path=str(tmp_path / "inst"))
        assert isinstance(huey.storage, RedisStorage)
    finally:
        create_app({"TESTING": True}, instance_path=str(tmp_path / "back"))
    assert isinstance(huey.storage, MemoryStorage)


def test_every_module_declaring_tasks_is_imported_when_the_app_is_built(app):
    """The consumer builds the app and knows only the tasks imported by then: a feature declaring a task or a
    periodic job in a module its init_app doesn't import would have it silently never run."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    declared = {".".join(path.relative_to(root).with_suffix("").parts)
                for path in (root / "portal").rglob("*.py")
                if re.search(r"^@(?:queue\.)?(?:task|periodic)\(", path.read_text(encoding="utf-8"), re.M)}
    registered = {name.rsplit(".", 1)[0] for name in huey._registry._registry}  # noqa: SLF001
    assert "portal.mailqueue.delivery" in declared
    assert declared <= registered, f"declared but not imported by create_app: {declared - registered}"
    periodic = {t.name for t in huey._registry.periodic_tasks}  # noqa: SLF001
    assert "sweep_mail" in periodic
