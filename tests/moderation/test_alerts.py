"""An alert and its facilitators' emails are written in the caller's transaction: both or neither."""
from __future__ import annotations

from sqlalchemy import func, select

from portal.extensions import db
from portal.mailqueue.models import QueuedMail
from portal.moderation.alerts import handle_alerts, raise_alert
from portal.moderation.models import ModerationAlert


def test_alert_and_mail_commit_together_or_not_at_all(app, cohort, facilitator, learner):
    with app.test_request_context():
        alert = raise_alert(cohort.id, "safety_words", "post", 123, author_id=learner.id)
        assert db.session.scalar(select(func.count(QueuedMail.id))) == 1  # pending, with the alert
        db.session.rollback()
    assert db.session.scalar(select(func.count(ModerationAlert.id))) == 0
    assert db.session.scalar(select(func.count(QueuedMail.id))) == 0

    with app.test_request_context():
        alert = raise_alert(cohort.id, "safety_words", "post", 123, author_id=learner.id)
        db.session.commit()
    mail = db.session.scalars(select(QueuedMail)).one()
    assert mail.to == facilitator.email
    assert cohort.name in mail.subject
    assert "123" not in mail.body and learner.display_name not in mail.body  # no names or words by email
    assert handle_alerts(cohort.id, "post", 123, facilitator.id) == 1
    db.session.commit()
    assert db.session.get(ModerationAlert, alert.id).handled_by_id == facilitator.id
    assert handle_alerts(cohort.id, "post", 123, facilitator.id) == 0
