"""Demo safeguarding: in Demo cohort A, a past concern with a follow-up due (linked to the post that raised it,
with its actions in the audit log) and one check-in conversation. Written straight to the tables, dated in the
past, and without emails: the demo sends nobody anything."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.audit.services import record
from portal.auth.models import User
from portal.cohorts.models import Cohort
from portal.dates import local_today, utcnow
from portal.discussions.models import Post
from portal.extensions import db
from portal.safeguarding.models import CheckinConversation, CheckinMessage, Concern, ConcernAction, ConcernItem

COHORT, FACILITATOR, MEMBER = "Demo cohort A", "facilitator@example.org", "learner5@example.org"


def seed_safeguarding(cohort: Cohort, users: dict[str, User]) -> None:
    """Demo cohort A only, once: nothing is added if it has a concern already."""
    if cohort.name != COHORT or db.session.scalar(select(Concern.id).where(Concern.cohort_id == cohort.id).limit(1)) is not None:
        return
    facilitator, member = users[FACILITATOR], users[MEMBER]
    now, today = utcnow(), local_today()
    post = db.session.scalars(select(Post).where(Post.cohort_id == cohort.id, Post.author_id == member.id)
                              .order_by(Post.id)).first()
    concern = Concern(cohort_id=cohort.id, member_id=member.id, opened_by_id=facilitator.id,
                      opened_at=now - timedelta(days=6), summary="Wrote about past self-harm after session 3",
                      details="Shared in the session 3 thread that they self-harmed after a bereavement. Says they "
                              "are okay now. Checking in gently, as agreed in the team.",
                      follow_up_on=today - timedelta(days=1))
    db.session.add(concern)
    db.session.flush()
    if post is not None:
        db.session.add(ConcernItem(concern_id=concern.id, subject_kind="post", subject_id=post.id))
    db.session.add(ConcernAction(concern_id=concern.id, author_id=facilitator.id, done_on=today - timedelta(days=5),
                                 note="Sent a check-in message. They replied that they are fine and have support "
                                      "from their GP. Will ask again after session 4.",
                                 follow_up_on=today - timedelta(days=1), created_at=now - timedelta(days=5)))
    for days, action in ((6, "concern.opened"), (5, "checkin.sent"), (5, "concern.action_added")):
        event = record(facilitator, action, subject=member if action == "checkin.sent" else concern, cohort=cohort,
                       detail=f"Follow-up on {concern.follow_up_on.isoformat()}" if action != "checkin.sent" else None)
        event.at = now - timedelta(days=days)
    _conversation(cohort, facilitator, member, now)


def _conversation(cohort: Cohort, facilitator: User, member: User, now) -> None:
    sent, replied = now - timedelta(days=5, hours=2), now - timedelta(days=5)
    conversation = CheckinConversation(cohort_id=cohort.id, member_id=member.id, created_at=sent,
                                       last_message_at=replied, facilitators_wrote_at=sent, member_read_at=replied,
                                       member_wrote_at=replied, facilitators_read_at=replied)
    db.session.add(conversation)
    db.session.flush()
    db.session.add_all([
        CheckinMessage(conversation_id=conversation.id, author_id=facilitator.id, from_facilitator=True,
                       created_at=sent, body="Hi, thank you for what you shared in the session 3 thread. I wanted "
                                             "to check in privately: how are you doing this week? No pressure to "
                                             "say more than you want to."),
        CheckinMessage(conversation_id=conversation.id, author_id=member.id, from_facilitator=False, created_at=replied,
                       body="Thanks for asking. Writing it down stirred things up a bit, but I'm okay. I've got my "
                            "GP and my sister, and the group has been kind."),
    ])
