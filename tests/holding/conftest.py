"""Helpers for held-content tests: the discussions' fixtures, and words the safety matcher holds."""
from __future__ import annotations

from tests.discussions.conftest import general_thread, open_sessions, write_reply  # noqa: F401  (fixtures)

WORRYING = "I can't go on. I want to end my life tonight."
ORDINARY = "Session one gave me a lot to think about."


def c(cohort, path: str) -> str:
    return f"/cohorts/{cohort.id}/{path}"
