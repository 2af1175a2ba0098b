from __future__ import annotations

import pytest

from tests.evaluation.factories import add_form


@pytest.fixture
def form(db, course):
    return add_form()


@pytest.fixture
def learners(make_user, enrol, cohort):
    """Six learners in the cohort (enough to pass the default threshold of 5)."""
    people = []
    for n in range(6):
        user = make_user(f"evaluator{n}@example.org", name=f"Eve Evaluator {n}")
        enrol(user, cohort)
        people.append(user)
    return people
