"""One rule for announcements: an active member of the cohort sees its live (not withdrawn) announcements, in the
cohort home (minus those they closed), on the list, and in their notifications; nobody else sees any. Random
cohorts, members and announcements from hypothesis."""
from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from portal.announcements import queries, services
from portal.announcements.models import Announcement
from portal.notifications import fanout
from portal.notifications import services as notify_services

_names = itertools.count(1)
# (cohort 0 or 1, status in it)
member_spec = st.tuples(st.integers(0, 1), st.sampled_from(["active", "active", "suspended", "left", "removed"]))
# (cohort, withdrawn, dismissed by which members)
notice_spec = st.tuples(st.integers(0, 1), st.booleans(), st.sets(st.integers(0, 4)))
world_spec = st.tuples(st.lists(member_spec, min_size=1, max_size=5), st.lists(notice_spec, min_size=1, max_size=4))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(world_spec)
def test_every_place_shows_exactly_what_the_rule_allows(db, make_user, make_cohort, enrol, world):
    members, notices = world
    cohorts = [make_cohort(f"Vis {next(_names)}") for _ in range(2)]
    facilitators = [make_user(name=f"F{next(_names)}") for _ in cohorts]
    for person, cohort in zip(facilitators, cohorts):
        enrol(person, cohort, "facilitator")
    people = []
    for where, status in members:
        person = make_user(name=f"M{next(_names)}")
        enrol(person, cohorts[where], status=status)
        people.append((person, where, status))
    rows = []
    for where, withdrawn, closers in notices:
        row = services.post_announcement(facilitators[where], cohorts[where], f"N{next(_names)}", "Words", None)
        for i in closers:
            if i < len(people) and people[i][1] == where and people[i][2] in ("active", "suspended"):
                services.dismiss_announcement(people[i][0].id, cohorts[where].id, row.id)
        if withdrawn:
            services.withdraw_announcement(facilitators[where], cohorts[where], row.id)
        rows.append(row)
    fanout.sweep()
    for person, where, status in people:
        live = {r.id for r in db.session.scalars(select(Announcement).where(
            Announcement.cohort_id == cohorts[where].id, Announcement.withdrawn_at.is_(None)))}
        listed = {a.id for a, _name, _closed in queries.cohort_announcements(cohorts[where].id, person.id, 1)[0]}
        home = {a.id for a, _name in queries.undismissed(cohorts[where].id, person.id)}
        assert home <= listed == live
        other = cohorts[1 - where].id
        assert {a.id for a, _name, _c in queries.cohort_announcements(other, person.id, 1)[0]}.isdisjoint(live)
        items, _more = notify_services.list_page(person.id, 1)
        told = {i.text.split("“")[1].rstrip("”") for i in items}
        expected = {r.title for r in rows if r.id in live} if status == "active" else set()
        assert told == expected, (status, told, expected)
