"""A cohort with no active facilitator: its safety alerts and held content call the site administrators (email at
once, no member's words; the site-wide moderation page marks the cohort, counts only until opened), and the
cohorts list warns about a running cohort without one. Nothing leaks to another cohort."""
from __future__ import annotations

import pytest
from sqlalchemy import select, update

from portal.audit.models import AuditEvent
from portal.cohorts.models import Membership
from portal.discussions import services as discussions
from portal.extensions import db
from portal.mailqueue.models import QueuedMail
from portal.moderation.alerts import raise_alert

WORRY = "I want to end my life"


def mails():
    db.session.expire_all()
    return db.session.scalars(select(QueuedMail).order_by(QueuedMail.id)).all()


def worrying_reply(author, cohort):
    """A thread and a reply with safety words: the portal raises a safety alert itself."""
    opening = discussions.start_thread(author, cohort, None, "This week", "Opening words", None, None)
    return discussions.reply(author, db.session.get(discussions.Thread, opening.thread_id), WORRY, None, None,
                             f"tok-{opening.id}")


def without_facilitators(cohort, status="left"):
    db.session.execute(update(Membership).where(Membership.cohort_id == cohort.id, Membership.role == "facilitator")
                       .values(status=status))
    db.session.commit()


@pytest.fixture
def admins(make_user):
    return [make_user("admin@example.org", name="Ada Admin", admin=True),
            make_user("admin2@example.org", name="Abe Admin", admin=True),
            make_user("retired-admin@example.org", name="Old Admin", admin=True, active=False)]


def test_with_a_facilitator_only_they_are_emailed(db, cohort, facilitator, learner, admins):
    worrying_reply(learner, cohort)
    assert [m.to for m in mails()] == [facilitator.email]


@pytest.mark.parametrize("status", ["left", "suspended", "removed"])
def test_without_an_active_facilitator_site_admins_are_emailed_at_once(db, cohort, facilitator, learner, admins,
                                                                      status):
    without_facilitators(cohort, status)
    worrying_reply(learner, cohort)
    sent = mails()
    assert sorted(m.to for m in sent) == ["admin2@example.org", "admin@example.org"]  # active admins only
    for mail in sent:
        assert cohort.name in mail.subject and "No facilitator" in mail.subject
        assert "/admin/moderation" in mail.body and "no active facilitator" in mail.body
        for words in (WORRY, "end my life", learner.display_name, learner.email, "This week"):
            assert words not in mail.subject and words not in mail.body, words
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "alert.to_site_admins")).one()
    assert event.cohort_id == cohort.id and WORRY not in event.detail


def test_not_yet_appointed_and_held_content_too(app, db, cohort, learner, admins):
    with app.test_request_context():
        raise_alert(cohort.id, "pre_moderation", "post", 41, author_id=learner.id)
        db.session.commit()
    assert sorted(m.to for m in mails()) == ["admin2@example.org", "admin@example.org"]


def test_a_signed_out_for_good_facilitator_does_not_count(db, cohort, facilitator, learner, admins):
    facilitator.active = False
    db.session.commit()
    worrying_reply(learner, cohort)
    assert facilitator.email not in [m.to for m in mails()]
    assert "admin@example.org" in [m.to for m in mails()]


def test_no_cross_cohort_leak(db, cohort, other_cohort, facilitator, other_facilitator, learner, outsider, admins):
    without_facilitators(cohort)
    worrying_reply(learner, cohort)
    assert other_facilitator.email not in [m.to for m in mails()], "another cohort's facilitator hears nothing"
    before = len(mails())
    worrying_reply(outsider, other_cohort)  # the other cohort has its facilitator: admins are not emailed
    assert [m.to for m in mails()[before:]] == [other_facilitator.email]


def test_site_wide_page_marks_the_cohort_and_keeps_the_opening_rule(app, db, cohort, other_cohort, facilitator,
                                                                    other_facilitator, learner, outsider, admins,
                                                                    as_user):
    from portal.cohorts.openings import open_cohort

    without_facilitators(cohort)
    worrying_reply(learner, cohort)
    worrying_reply(outsider, other_cohort)
    client = as_user(admins[0])
    page = client.get("/admin/moderation").get_data(as_text=True)
    assert 'id="unattended"' in page
    note = page.split('id="unattended"')[1].split("</div>")[0]
    assert cohort.name in note and other_cohort.name not in note
    assert WORRY not in page and learner.display_name not in page, "counts only until the cohort is opened"
    assert f"/admin/cohorts/{cohort.id}/open" in page or "Open as site administrator" in page
    assert client.get(f"/cohorts/{cohort.id}/moderation").status_code == 403  # the rule: open it first
    open_cohort(admins[0], cohort.id, "No facilitator: covering the safety alert", 30)
    page = client.get(f"/cohorts/{cohort.id}/moderation").get_data(as_text=True)
    assert WORRY in page


def test_the_cohorts_list_warns_about_a_running_cohort_without_facilitator(db, cohort, other_cohort, facilitator,
                                                                         other_facilitator, make_cohort, admins,
                                                                         as_user):
    planned = make_cohort("Cohort Planned", status="planned")
    client = as_user(admins[0])
    page = client.get("/admin/cohorts").get_data(as_text=True)
    assert 'id="unattended"' not in page and "No active facilitator" not in page
    without_facilitators(cohort)
    page = client.get("/admin/cohorts").get_data(as_text=True)
    note = page.split('id="unattended"')[1].split("</div>")[0]
    assert cohort.name in note and other_cohort.name not in note and planned.name not in note
    assert page.count("No active facilitator") == 1  # the one row's tag, besides the note
