"""Every change of someone's place in a cohort is in the audit log: joining, pausing, removing, restoring,
leaving, and a facilitator letting someone back."""
from __future__ import annotations

from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.cohorts import services
from portal.cohorts.models import Membership
from portal.enrolment.places import add_membership
from portal.extensions import db


def _events(user_id):
    return db.session.execute(select(AuditEvent.action, AuditEvent.actor_id, AuditEvent.cohort_id).where(
        AuditEvent.subject_type == "users", AuditEvent.subject_id == user_id,
        AuditEvent.action.like("member.%")).order_by(AuditEvent.id)).all()


def test_pause_remove_restore_and_leave_are_recorded(app, cohort, facilitator, learner):
    membership = db.session.scalars(select(Membership).where(Membership.user_id == learner.id)).one()
    for action in ("suspend", "restore", "remove", "restore"):
        services.change_member_status(facilitator, membership, action)
    services.change_member_status(facilitator, membership, "suspend")
    services.leave_cohort(membership)
    services.change_member_status(facilitator, membership, "restore")  # left while paused: may rejoin
    assert _events(learner.id) == [
        ("member.suspended", facilitator.id, cohort.id), ("member.active", facilitator.id, cohort.id),
        ("member.removed", facilitator.id, cohort.id), ("member.active", facilitator.id, cohort.id),
        ("member.suspended", facilitator.id, cohort.id), ("member.left", learner.id, cohort.id),
        ("member.rejoin_allowed", facilitator.id, cohort.id)]


def test_a_status_that_does_not_change_records_nothing(app, cohort, facilitator, learner):
    membership = db.session.scalars(select(Membership).where(Membership.user_id == learner.id)).one()
    services.change_member_status(facilitator, membership, "restore")  # already active
    assert _events(learner.id) == []


def test_joining_is_recorded_with_the_membership_and_not_without_it(app, cohort, make_user):
    person = make_user("newcomer@example.org", name="New Comer")
    add_membership(cohort.id, person, "learner")
    db.session.rollback()  # the caller's transaction fails: neither the place nor the event stays
    assert _events(person.id) == []
    add_membership(cohort.id, person, "learner")
    db.session.commit()
    assert _events(person.id) == [("member.joined", person.id, cohort.id)]
