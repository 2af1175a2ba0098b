"""Odd ids and page numbers never answer 500 (issue 10 #10): digits of other scripts, which `str.isdigit()`
(and some `int()`) accept, and numbers past a database integer. Every route with a number in it is tried, as a
learner, a facilitator and a site admin, with the other parts of the address real."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from portal.dates import utcnow
from portal.discussions import services as discussions
from portal.enrolment.models import CsvImport, Invitation, InviteLink
from portal.numbers import MAX_ID, parse_id
from portal.permissions import COHORT_LEVELS, rule_of
from tests.conftest import csrf_token, login

# '²' and '١' pass isdigit(); '٣' and '１' also pass int(); then numbers no database integer holds.
ODD = ["²", "٣", "１", "-1", "0", str(2**31), str(2**63), str(10**30), "99999999999999999999999", "1e3", " 1"]
LEADING_ZEROS = "007"  # the same number as 7: found or not, never an error
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


@pytest.fixture
def world(db, cohort, learner, facilitator, site_admin, timetable):
    timetable(cohort)[0].starts_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    first = discussions.start_thread(learner, cohort, None, "A thread", "Some words", None, None)
    soon = utcnow() + timedelta(days=7)
    rows = [Invitation(cohort_id=cohort.id, email="invitee@example.org", nonce="n", expires_at=soon),
            InviteLink(cohort_id=cohort.id, code="odd-link-code", expires_at=soon, max_uses=5, uses=0),
            CsvImport(cohort_id=cohort.id, created_by_id=facilitator.id, filename="x.csv", rows=[])]
    db.session.add_all(rows)
    db.session.commit()
    real = {"cohort_id": cohort.id, "id": cohort.id, "thread_id": first.thread_id, "post_id": first.id,
            "number": 1, "space": "1", "invitation_id": rows[0].id, "link_id": rows[1].id, "import_id": rows[2].id,
            "membership_id": 1}
    return real, first.thread_id


def _numbered_params(rule) -> list[str]:
    """The parts of a route that hold a number: <int:…>, and a discussion space ('general' or a session)."""
    return [name for conv, name in PARAM.findall(rule.rule) if conv == "int" or name == "space"]


def _url(rule, real: dict, odd_name: str, odd: str) -> str:
    def fill(match):
        name = match.group(2)
        return odd if name == odd_name else str(real.get(name, "x"))
    return PARAM.sub(fill, rule.rule)


def _clients(app, users):
    for user in users:
        client = app.test_client()
        login(client, user.email)
        yield user.email, client, csrf_token(client, "/account")


def test_odd_numbers_in_addresses_never_answer_500(app, world, learner, facilitator, site_admin):
    real, _thread = world
    rules = [rule for rule in app.url_map.iter_rules() if _numbered_params(rule)]
    assert len(rules) > 20
    problems = []
    for who, client, token in _clients(app, (learner, facilitator, site_admin)):
        for rule in rules:
            access = rule_of(app.view_functions[rule.endpoint])
            for name in _numbered_params(rule):
                # A site admin who has not opened the cohort gets the offer to open it on a content route
                # before any id is looked at: 403 whatever the id, so it tells nothing (portal/permissions.py);
                # an address the router can't match at all stays 404.
                offer = (who == site_admin.email and name != "cohort_id" and access.level in COHORT_LEVELS
                         and not access.site_admin_manages)
                for odd in [*ODD, LEADING_ZEROS]:
                    url = _url(rule, real, name, odd)
                    for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                        data = {"csrf_token": token} if method == "POST" else None
                        status = client.open(url, method=method, data=data).status_code
                        if status >= 500 or (odd in ODD and status not in ({403, 404} if offer else {404})):
                            problems.append((who, method, url, status))
    assert problems == [], "\n".join(map(str, problems))


@pytest.mark.parametrize("arg", ["page", "reply_to", "quote"])
def test_odd_numbers_in_the_query_string_are_ignored(app, world, learner, facilitator, site_admin, arg):
    real, thread_id = world
    from portal.cohorts.openings import open_cohort
    open_cohort(site_admin, real["cohort_id"], "Reading a thread", 30)  # site admins read it only opened
    for _who, client, _token in _clients(app, (learner, facilitator, site_admin)):
        for odd in [*ODD, LEADING_ZEROS, str(MAX_ID), ""]:
            url = f"/cohorts/{real['cohort_id']}/threads/{thread_id}"
            response = client.get(f"{url}?{arg}={odd}")
            if arg == "page" and odd == LEADING_ZEROS:  # page 7 of a one-page thread: its last page instead
                assert response.status_code == 302 and response.location == url, (odd, response.location)
                continue
            assert response.status_code == 200, (arg, odd, response.status_code)


def test_odd_numbers_in_forms_are_refused_kindly(app, world, make_user, enrol, cohort, facilitator):
    newcomer = make_user("newcomer@example.org")
    enrol(newcomer, cohort, accepted=False)
    client = app.test_client()
    login(client, newcomer.email)
    url = f"/cohorts/{cohort.id}/agreement"
    for odd in [*ODD, "abc", ""]:
        response = client.post(url, data={"version_id": odd, "csrf_token": csrf_token(client, "/account")})
        assert response.status_code < 500, (odd, response.status_code)
    manager = app.test_client()
    login(manager, facilitator.email)
    url = f"/cohorts/{cohort.id}/manage/timetable"
    for odd in [*ODD, "abc"]:
        response = manager.post(url, data={"rows-0-entry_id": odd, "rows-0-day": "", "rows-0-at": "",
                                           "rows-0-location": "", "csrf_token": csrf_token(manager, url)})
        assert response.status_code in (400, 404), (odd, response.status_code)


@pytest.mark.parametrize(("value", "expected"), [
    ("1", 1), ("007", 7), (str(MAX_ID), MAX_ID), (str(MAX_ID + 1), None), ("0", None), ("-1", None), ("²", None),
    ("٣", None), ("１", None), ("", None), (None, None), (" 1", None), ("1\n", None), (7, None)])
def test_parse_id_takes_ascii_digits_within_a_database_integer(value, expected):
    assert parse_id(value) == expected


def _second_step(app, facilitator):
    client = app.test_client()
    first = client.post("/login", data={"email": facilitator.email, "password": "correct horse battery",
                                        "csrf_token": csrf_token(client)})
    step = first.headers["Location"]
    assert step.startswith("/login/two-factor")
    return client, step


@pytest.mark.parametrize("code", ["²²²²²²", "¹²³⁴⁵⁶", "12345²"])
def test_a_two_factor_code_of_odd_digits_is_refused_kindly(app, facilitator, code):
    client, step = _second_step(app, facilitator)
    response = client.post(step, data={"code": code, "csrf_token": csrf_token(client, step)})
    assert response.status_code == 422
    assert "Codes change every 30 seconds" in response.get_data(as_text=True)


@pytest.mark.parametrize("zero", ["٠", "０", "۰"])  # Arabic-Indic, fullwidth, Persian keyboards
def test_a_two_factor_code_typed_in_another_script_works(app, facilitator, zero):
    from tests.conftest import fresh_totp_code

    client, step = _second_step(app, facilitator)
    code = "".join(chr(ord(zero) + int(d)) for d in fresh_totp_code(facilitator.email))
    response = client.post(step, data={"code": code, "csrf_token": csrf_token(client, step)})
    assert response.status_code == 302
