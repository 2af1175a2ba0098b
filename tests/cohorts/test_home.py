"""Home: my cohorts, and nobody else's."""
from __future__ import annotations


def test_front_door_sends_visitors_to_sign_in_and_members_home(client, learner, auth):
    assert client.get("/").headers["Location"] == "/login"
    auth.login(learner)
    assert client.get("/").headers["Location"] == "/home"


def test_home_lists_only_my_cohorts_with_my_role(client, learner, outsider, facilitator, auth, enrol, make_cohort):
    second = make_cohort("Cohort East")
    enrol(learner, second, "facilitator")
    auth.login(learner)
    body = client.get("/home").get_data(as_text=True)
    assert "Cohort North" in body and "Cohort East" in body
    assert "Cohort South" not in body  # the outsider's cohort
    assert "Facilitator" in body and "Learner" in body


def test_home_for_someone_in_no_cohort_invites_rather_than_blanks(client, make_user, auth):
    auth.login(make_user("new@example.org"))
    assert "You are not in a cohort yet" in client.get("/home").get_data(as_text=True)


def test_home_query_count_does_not_grow_with_cohorts(client, learner, auth, enrol, make_cohort, count_queries):
    auth.login(learner)
    with count_queries() as n:
        client.get("/home")
    one = n()
    for i in range(5):
        enrol(learner, make_cohort(f"Extra {i}"))
    with count_queries() as n:
        client.get("/home")
    assert n() == one <= 4  # user, memberships with cohorts, timetables, (session touch)


def test_the_next_session_is_hidden_until_the_agreement_is_accepted(client, make_user, auth, enrol, cohort, timetable,
                                                                     db):
    from datetime import timedelta

    from portal.dates import utcnow

    first = timetable(cohort)[0]
    first.starts_at, first.location = utcnow() + timedelta(days=2), "Room 7, Quaker Meeting House"
    db.session.commit()
    person = make_user("new@example.org")
    enrol(person, cohort, accepted=False)
    auth.login(person)
    body = client.get("/home").get_data(as_text=True)
    assert "Cohort North" in body and "Room 7" not in body and "Getting started" not in body
    assert f"/cohorts/{cohort.id}/agreement" in body


def test_a_removed_person_is_told_kindly_and_truly(client, make_user, auth, enrol, cohort, timetable, db):
    first = timetable(cohort)[0]
    first.location = "Room 7"
    db.session.commit()
    person = make_user("gone@example.org")
    enrol(person, cohort, status="removed")
    auth.login(person)
    body = client.get("/home").get_data(as_text=True)
    assert "Your place in Cohort North has ended" in body and "contact the facilitators" in body
    assert "You are not in a cohort yet" not in body and "Room 7" not in body
    assert f'href="/cohorts/{cohort.id}/"' not in body  # no way in, and nothing of the cohort's content


def test_a_site_admin_in_no_cohort_is_pointed_to_the_admin_pages(client, site_admin, auth):
    auth.login(site_admin)
    body = client.get("/home").get_data(as_text=True)
    assert "You are not in a cohort yet" not in body
    assert 'href="/admin/cohorts"' in body
