"""One rule: what a session's list shows someone is exactly what they may open (random resources and states)."""
from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from portal.dates import local_today
from portal.errors import NotFound
from portal.resources.models import Resource
from portal.resources.queries import session_resources
from portal.resources.visibility import visible_resource
from tests.resources.factories import add_link, course_resource

# (session 1-3, whose: course / this cohort / another cohort, withdrawn)
resource_spec = st.tuples(st.integers(1, 3), st.sampled_from(["course", "here", "there"]), st.booleans())


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(st.integers(0, 3), st.lists(resource_spec, min_size=1, max_size=8))
def test_each_list_is_what_the_per_item_rule_allows(db, course, make_cohort, make_user, timetable, opened_count,
                                                     specs):
    from portal.resources import services

    here, there = make_cohort(), make_cohort()
    actor = make_user()
    for i, row in enumerate(timetable(here)):
        row.day = local_today() - timedelta(days=1) if i < opened_count else None
    db.session.commit()
    for n, (number, whose, withdrawn) in enumerate(specs):
        if whose == "course":
            course_resource(course, number, f"c-{here.id}-{n}")
        else:
            row = add_link(actor, here if whose == "here" else there, number, title=f"R{n}")
            if withdrawn:
                services.withdraw_resource(actor, here if whose == "here" else there, row.id)
    for facilitator in (False, True):
        listed = set()
        for entry, session in zip(timetable(here), range(1, 4)):
            if facilitator or entry.day is not None:
                listed |= {i.resource.id for i in session_resources(here, entry.course_session_id, actor.id,
                                                                    member=False, with_withdrawn=False)}
        allowed = set()
        for row in db.session.scalars(select(Resource)):  # earlier examples' rows too: they share the database
            try:
                allowed.add(visible_resource(here, row.id, facilitator).id)
            except NotFound:
                pass
        assert listed == allowed
