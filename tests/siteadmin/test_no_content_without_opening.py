"""No member's words reach a site admin without an opening: every content route, generated from the URL map,
answers the offer page with none of the cohort's words; the site-wide pages show only counts and hide the
detail of other cohorts' moderation and safeguarding events; safety alert emails carry no member's words."""
from __future__ import annotations

from portal.permissions import COHORT_LEVELS, rule_of
from tests.conftest import csrf_token, login
from tests.security.test_access_matrix import URLS, _client, world  # noqa: F401  (a fixture, used by name)

# Words the matrix world writes as members and facilitators: none may reach an admin who has not opened it.
SECRETS = ("Some words", "Shared words", "My essay", "I want to end my life", "A worry", "How are you?",
           "Fine, thanks", "Only mine", "Matrix thread")


def _content_endpoints(app):
    for rule in app.url_map.iter_rules():
        access = rule_of(app.view_functions[rule.endpoint])
        if access.level in COHORT_LEVELS and not access.site_admin_manages:
            yield rule.endpoint, sorted(rule.methods - {"HEAD", "OPTIONS"})


def test_every_content_route_refuses_an_admin_without_opening(app, world):
    w, users = world
    client = _client(app, users["site_admin"])
    token = csrf_token(client, "/account")
    endpoints = list(_content_endpoints(app))
    assert len(endpoints) > 60  # the URL map, not a hand list
    failures = []
    for endpoint, methods in endpoints:
        url = URLS[endpoint](w)
        for method in methods:
            response = client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
            body = response.get_data(as_text=True)
            if response.status_code != 403 or "Open as site administrator" not in body:
                failures.append(f"{method} {url}: {response.status_code}")
            failures += [f"{method} {url} shows {s!r}" for s in SECRETS if s in body]
    assert failures == []


def test_management_routes_show_no_members_words(app, world):
    w, users = world
    client = _client(app, users["site_admin"])
    failures = []
    for rule in app.url_map.iter_rules():
        access = rule_of(app.view_functions[rule.endpoint])
        if not access.site_admin_manages or "GET" not in rule.methods:
            continue
        url = URLS[rule.endpoint](w)
        response = client.get(url)
        body = response.get_data(as_text=True)
        if response.status_code not in (200, 302):
            failures.append(f"GET {url}: {response.status_code}")
        failures += [f"GET {url} shows {s!r}" for s in SECRETS if s in body]
    assert failures == []


def test_admin_moderation_queue_shows_counts_until_opened(app, world):
    from portal.cohorts.openings import open_cohort

    w, users = world
    admin = users["site_admin"]
    client = _client(app, admin)
    page = client.get("/admin/moderation").get_data(as_text=True)
    assert "Waiting in other cohorts" in page and "Cohort North" in page
    assert not [s for s in SECRETS if s in page]
    assert "A worry" not in page  # the safeguarding follow-up's summary
    open_cohort(admin, w.cohort.id, "Covering for a facilitator who is ill", 30)
    page = client.get("/admin/moderation").get_data(as_text=True)
    assert "Some words" in page or "Matrix thread" in page
    assert "Waiting in other cohorts" not in page


def test_follow_ups_due_for_admins_only_where_readable(app, db, world):
    from datetime import timedelta

    from portal.cohorts.openings import open_cohort, readable_cohort_ids
    from portal.dates import local_today
    from portal.moderation.queue import follow_ups_due
    from portal.safeguarding.models import Concern

    w, users = world
    concern = db.session.get(Concern, w.concern_id)
    concern.follow_up_on = local_today() - timedelta(days=1)
    db.session.commit()
    admin = users["site_admin"]
    assert follow_ups_due(readable_cohort_ids(admin)) == []
    page = _client(app, admin).get("/admin/moderation").get_data(as_text=True)
    assert "A worry" not in page
    open_cohort(admin, w.cohort.id, "Following up a concern", 15)
    assert [f.concern_id for f in follow_ups_due(readable_cohort_ids(admin))] == [w.concern_id]
    assert [f.concern_id for f in follow_ups_due(readable_cohort_ids(users["facilitator"]))] == [w.concern_id]


def test_site_wide_audit_hides_other_cohorts_moderation_detail(app, db, world):
    from portal.audit.services import record
    from portal.cohorts.openings import open_cohort

    w, users = world
    record(users["facilitator"], "item.hidden", cohort=w.cohort, detail="Hidden: it quoted a member's self-harm")
    record(users["facilitator"], "facilitator.added", cohort=w.cohort, detail="Added as co-facilitator")
    db.session.commit()
    client = _client(app, users["site_admin"])
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "self-harm" not in page and "Added as co-facilitator" in page
    open_cohort(users["site_admin"], w.cohort.id, "Reviewing a moderation decision", 15)
    assert "self-harm" in client.get("/admin/audit").get_data(as_text=True)


def test_safety_alerts_go_to_facilitators_only_and_carry_no_words(app, db, cohort, learner, facilitator,
                                                                  site_admin, opened):
    from sqlalchemy import select

    from portal.discussions import services as discussions
    from portal.mailqueue.models import QueuedMail

    with app.test_request_context():
        discussions.start_thread(learner, cohort, None, "Tonight", "I want to end my life tonight", None, None)
    mails = db.session.scalars(select(QueuedMail)).all()
    assert mails, "the facilitators are alerted"
    assert {m.to for m in mails} == {facilitator.email}  # not the site admin, who is not its facilitator
    for mail in mails:
        for secret in ("end my life", "Tonight", learner.display_name, learner.email):
            assert secret not in mail.body and secret not in mail.subject


def test_admin_signed_in_for_real_gets_the_offer(app, site_admin, cohort):
    client = app.test_client()
    login(client, site_admin.email)
    response = client.get(f"/cohorts/{cohort.id}/safeguarding")
    assert response.status_code == 403 and "Open as site administrator" in response.get_data(as_text=True)
