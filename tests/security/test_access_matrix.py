"""Every route × every role × every method, with the expected answer declared once per route.

The expected answers come from each view's declared access level; the few routes whose answer depends
on who owns the object say so in OVERRIDES. A route missing from URLS fails the suite, so a new route
can't ship without a place in this matrix.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import pytest
from flask import Flask

from portal.cohorts.models import Membership
from portal.discussions import services as discussions
from portal.discussions.models import Thread
from portal.enrolment.models import CsvImport, Invitation, InviteLink
from portal.exercises.feedback_models import Feedback
from portal.moderation.flag_models import Flag
from portal.permissions import rule_of
from tests.conftest import csrf_token
from tests.exercises.factories import add_example, add_exercise, add_response

# "site_admin" manages the cohort but has not opened it; "site_admin_opened" has it open (portal/cohorts/openings.py)
ROLES = ("anonymous", "learner", "facilitator", "suspended", "outsider", "other_facilitator", "loner", "site_admin",
         "site_admin_opened")
ALLOWED_WRITE = {200, 302, 400, 409, 410, 422}  # an allowed POST may still be refused for its content


@dataclass
class World:
    cohort: object
    thread_id: int
    post_id: int  # written by the learner
    membership_id: int  # the suspended member's place: safe to act on
    invitation_id: int = 1
    import_id: int = 1
    link_id: int = 1
    learner_id: int = 1
    facilitator_id: int = 1
    exercise_id: int = 1  # session 1, with a self-check; the learner has a draft response
    response_id: int = 1  # the learner's submitted response to another exercise of session 1
    feedback_id: int = 1  # the facilitator's feedback on that response
    example_id: int = 1  # that response's exercise, with an example to practise on
    concern_id: int = 1  # an open safeguarding concern about the learner
    held_post_id: int = 1  # the learner's reply, held for a facilitator (safety words)
    submission_id: int = 1  # the learner's essay, handed in with a file
    journal_entry_id: int = 1  # the learner's private journal entry
    resource_id: int = 1  # the facilitator's handout on session 1 (open)
    evaluation_form_id: int = 1  # asked after session 1 (open); nobody has answered yet
    export_id: int = 1  # the learner's "my data" ZIP, ready
    export_token: str = "x"  # its signed link
    erasure_request_id: int = 1  # the loner asked to be erased
    notification_id: int = 1  # the learner's notification of a reply to their post
    unsubscribe_token: str = "x"  # a one-click unsubscribe link from an email to the learner
    announcement_id: int = 1  # the facilitator's announcement to the cohort


# The concrete URL each endpoint is checked at, inside cohort "North" where that matters.
URLS = {
    "static": lambda w: "/static/css/portal.css",
    "auth.login": lambda w: "/login", "auth.logout": lambda w: "/logout",
    "auth.forgot_password": lambda w: "/forgot-password",
    "auth.reset_password": lambda w: "/reset-password/not-a-real-token",
    "auth.account": lambda w: "/account", "auth.change_password": lambda w: "/account/password",
    "auth.two_factor_login": lambda w: "/login/two-factor", "auth.two_factor_setup": lambda w: "/account/two-factor",
    "auth.two_factor_off": lambda w: "/account/two-factor/turn-off",
    "support.need_help_now": lambda w: "/need-help-now",
    "course.overview": lambda w: "/course/",
    "cohorts.index": lambda w: "/", "cohorts.home": lambda w: "/home",
    "cohorts.show": lambda w: f"/cohorts/{w.cohort.id}/",
    "cohorts.session_page": lambda w: f"/cohorts/{w.cohort.id}/sessions/1",
    "cohorts.members": lambda w: f"/cohorts/{w.cohort.id}/members",
    "cohorts.leave": lambda w: f"/cohorts/{w.cohort.id}/leave",
    "manage.timetable": lambda w: f"/cohorts/{w.cohort.id}/manage/timetable",
    "manage.release": lambda w: f"/cohorts/{w.cohort.id}/manage/sessions/2/release",
    "manage.withdraw_release": lambda w: f"/cohorts/{w.cohort.id}/manage/sessions/2/withdraw-release",
    "manage.member_status": lambda w: f"/cohorts/{w.cohort.id}/manage/members/{w.membership_id}",
    "manage.confirm_remove": lambda w: f"/cohorts/{w.cohort.id}/manage/members/{w.membership_id}/remove",
    "manage.session_moderation": lambda w: f"/cohorts/{w.cohort.id}/manage/sessions/1/moderation",
    "manage.usual_hours": lambda w: f"/cohorts/{w.cohort.id}/manage/usual-hours",
    "holding.review": lambda w: f"/cohorts/{w.cohort.id}/held/post/{w.held_post_id}",
    "holding.release": lambda w: f"/cohorts/{w.cohort.id}/held/post/{w.held_post_id}/release",
    "holding.keep": lambda w: f"/cohorts/{w.cohort.id}/held/post/{w.held_post_id}/keep",
    "holding.choose": lambda w: f"/cohorts/{w.cohort.id}/held/post/{w.held_post_id}/choice",
    "admin.cohorts": lambda w: "/admin/cohorts", "admin.new_cohort": lambda w: "/admin/cohorts/new",
    "admin.edit_cohort": lambda w: f"/admin/cohorts/{w.cohort.id}",
    "admin.add_facilitator": lambda w: f"/admin/cohorts/{w.cohort.id}/facilitators",
    "admin.remove_facilitator": lambda w: f"/admin/cohorts/{w.cohort.id}/facilitators/{w.facilitator_id}/remove",
    "admin.resend_invitation": lambda w: f"/admin/cohorts/{w.cohort.id}/invitations/{w.invitation_id}/resend",
    "admin.withdraw_invitation": lambda w: f"/admin/cohorts/{w.cohort.id}/invitations/{w.invitation_id}/withdraw",
    "people.index": lambda w: "/admin/people?q=e", "people.person": lambda w: f"/admin/people/{w.learner_id}",
    "people.deactivate": lambda w: f"/admin/people/{w.learner_id}/deactivate",
    "people.reactivate": lambda w: f"/admin/people/{w.learner_id}/reactivate",
    "people.reset_two_factor": lambda w: f"/admin/people/{w.facilitator_id}/reset-two-factor",
    "audit.events": lambda w: "/admin/audit",
    "opening.open_cohort": lambda w: f"/admin/cohorts/{w.cohort.id}/open",
    "opening.end_opening": lambda w: f"/admin/cohorts/{w.cohort.id}/open/end",
    "agreements.show": lambda w: f"/cohorts/{w.cohort.id}/agreement",
    "agreements.manage": lambda w: f"/cohorts/{w.cohort.id}/manage/agreement",
    "attendance.overview": lambda w: f"/cohorts/{w.cohort.id}/attendance",
    "attendance.record": lambda w: f"/cohorts/{w.cohort.id}/attendance/1",
    "attendance.mine": lambda w: f"/cohorts/{w.cohort.id}/my-attendance",
    "discussions.index": lambda w: f"/cohorts/{w.cohort.id}/discussions",
    "discussions.space": lambda w: f"/cohorts/{w.cohort.id}/discussions/general",
    "discussions.new_thread": lambda w: f"/cohorts/{w.cohort.id}/discussions/general/new",
    "discussions.thread": lambda w: f"/cohorts/{w.cohort.id}/threads/{w.thread_id}",
    "discussions.unread": lambda w: f"/cohorts/{w.cohort.id}/threads/{w.thread_id}/unread",
    "discussions.thread_settings": lambda w: f"/cohorts/{w.cohort.id}/threads/{w.thread_id}/settings",
    "discussions.permalink": lambda w: f"/cohorts/{w.cohort.id}/posts/{w.post_id}",
    "discussions.edit": lambda w: f"/cohorts/{w.cohort.id}/posts/{w.post_id}/edit",
    "discussions.withdraw": lambda w: f"/cohorts/{w.cohort.id}/posts/{w.post_id}/withdraw",
    "discussions.revisions": lambda w: f"/cohorts/{w.cohort.id}/posts/{w.post_id}/revisions",
    "discussions.react": lambda w: f"/cohorts/{w.cohort.id}/posts/{w.post_id}/react",
    "discussions.save_draft": lambda w: f"/cohorts/{w.cohort.id}/drafts",
    "discussions.preview": lambda w: f"/cohorts/{w.cohort.id}/preview",
    "discussions.composer_hints": lambda w: f"/cohorts/{w.cohort.id}/hints",
    "discussions.search": lambda w: f"/cohorts/{w.cohort.id}/search?q=words",
    "exercises.index": lambda w: f"/cohorts/{w.cohort.id}/exercises",
    "exercises.members_overview": lambda w: f"/cohorts/{w.cohort.id}/exercises/overview",
    "exercises.show": lambda w: f"/cohorts/{w.cohort.id}/exercises/{w.exercise_id}",
    "exercises.self_check": lambda w: f"/cohorts/{w.cohort.id}/exercises/{w.exercise_id}/self-check",
    "exercises.practise": lambda w: f"/cohorts/{w.cohort.id}/exercises/{w.example_id}/example",
    "exercises.response": lambda w: f"/cohorts/{w.cohort.id}/responses/{w.response_id}",
    "exercises.reopen": lambda w: f"/cohorts/{w.cohort.id}/responses/{w.response_id}/reopen",
    "exercises.give_feedback": lambda w: f"/cohorts/{w.cohort.id}/responses/{w.response_id}/feedback",
    "exercises.allocate_reviewers": lambda w: f"/cohorts/{w.cohort.id}/exercises/{w.exercise_id}/allocate",
    "exercises.feedback_landed": lambda w: f"/cohorts/{w.cohort.id}/feedback/{w.feedback_id}/landed",
    "exercises.take_forward": lambda w: f"/cohorts/{w.cohort.id}/responses/{w.response_id}/take-forward",
    "exercises.hide_feedback": lambda w: f"/cohorts/{w.cohort.id}/feedback/{w.feedback_id}/hide",
    "exercises.change_allocation": lambda w: f"/cohorts/{w.cohort.id}/exercises/{w.exercise_id}/allocations",
    "exercises.release_response_feedback":
        lambda w: f"/cohorts/{w.cohort.id}/responses/{w.response_id}/release-feedback",
    "exercises.release_exercise_feedback":
        lambda w: f"/cohorts/{w.cohort.id}/exercises/{w.exercise_id}/release-feedback",
    "enrolment.invitations": lambda w: f"/cohorts/{w.cohort.id}/invitations",
    "enrolment.withdraw_invitations": lambda w: f"/cohorts/{w.cohort.id}/invitations/withdraw?invitation={w.invitation_id}",
    "enrolment.revoke_invitation": lambda w: f"/cohorts/{w.cohort.id}/invitations/{w.invitation_id}/revoke",
    "enrolment.resend_invitation": lambda w: f"/cohorts/{w.cohort.id}/invitations/{w.invitation_id}/resend",
    "enrolment.upload_csv": lambda w: f"/cohorts/{w.cohort.id}/invitations/csv",
    "enrolment.csv_preview": lambda w: f"/cohorts/{w.cohort.id}/invitations/csv/{w.import_id}",
    "enrolment.invite_links": lambda w: f"/cohorts/{w.cohort.id}/invite-links",
    "enrolment.revoke_invite_link": lambda w: f"/cohorts/{w.cohort.id}/invite-links/{w.link_id}/revoke",
    "moderation.flag": lambda w: f"/cohorts/{w.cohort.id}/posts/{w.post_id}/flag",
    "moderation.queue": lambda w: f"/cohorts/{w.cohort.id}/moderation",
    "moderation.admin_queue": lambda w: "/admin/moderation",
    "moderation.act": lambda w: f"/cohorts/{w.cohort.id}/moderation/posts/{w.post_id}",
    "moderation.edit": lambda w: f"/cohorts/{w.cohort.id}/moderation/posts/{w.post_id}/edit",
    "moderation.member": lambda w: f"/cohorts/{w.cohort.id}/moderation/people/{w.learner_id}",
    "enrolment.accept_invitation": lambda w: "/invitations/not-a-real-token",
    "enrolment.join": lambda w: "/join/not-a-real-code",
    "enrolment.confirm_join": lambda w: "/join/matrix-link-code/confirm/not-a-real-token",
    "safeguarding.concerns_list": lambda w: f"/cohorts/{w.cohort.id}/safeguarding",
    "safeguarding.new_concern": lambda w: f"/cohorts/{w.cohort.id}/safeguarding/new?kind=post&id={w.post_id}",
    "safeguarding.concern": lambda w: f"/cohorts/{w.cohort.id}/safeguarding/{w.concern_id}",
    "safeguarding.add_action": lambda w: f"/cohorts/{w.cohort.id}/safeguarding/{w.concern_id}/actions",
    "safeguarding.link_item": lambda w: f"/cohorts/{w.cohort.id}/safeguarding/{w.concern_id}/items",
    "safeguarding.close_concern": lambda w: f"/cohorts/{w.cohort.id}/safeguarding/{w.concern_id}/close",
    "safeguarding.reopen_concern": lambda w: f"/cohorts/{w.cohort.id}/safeguarding/{w.concern_id}/reopen",
    "checkins.index": lambda w: f"/cohorts/{w.cohort.id}/check-ins",
    "checkins.conversation": lambda w: f"/cohorts/{w.cohort.id}/check-ins/{w.learner_id}",
    "checkins.mine": lambda w: f"/cohorts/{w.cohort.id}/messages",
    "cohort_audit.events": lambda w: f"/cohorts/{w.cohort.id}/manage/audit",
    "safety_words.edit": lambda w: "/admin/safety-words",
    "safety_words.restore": lambda w: "/admin/safety-words/restore",
    "assignments.index": lambda w: f"/cohorts/{w.cohort.id}/assignments",
    "assignments.show": lambda w: f"/cohorts/{w.cohort.id}/assignments/my-recovery-story",
    "assignments.receipt": lambda w: f"/cohorts/{w.cohort.id}/submissions/{w.submission_id}",
    "assignments.download": lambda w: f"/cohorts/{w.cohort.id}/submissions/{w.submission_id}/file",
    "assignment_marking.overview": lambda w: f"/cohorts/{w.cohort.id}/manage/assignments/my-recovery-story",
    "assignment_marking.set_due": lambda w: f"/cohorts/{w.cohort.id}/manage/assignments/my-recovery-story/due",
    "assignment_marking.extend":
        lambda w: f"/cohorts/{w.cohort.id}/manage/assignments/my-recovery-story/extensions",
    "assignment_marking.mark":
        lambda w: f"/cohorts/{w.cohort.id}/manage/assignments/submissions/{w.submission_id}/mark",
    "assignment_marking.moderate":
        lambda w: f"/cohorts/{w.cohort.id}/manage/assignments/submissions/{w.submission_id}/moderate",
    "journal.index": lambda w: f"/cohorts/{w.cohort.id}/journal",
    "journal.write": lambda w: f"/cohorts/{w.cohort.id}/journal/new",
    "journal.show": lambda w: f"/cohorts/{w.cohort.id}/journal/{w.journal_entry_id}",
    "journal.edit": lambda w: f"/cohorts/{w.cohort.id}/journal/{w.journal_entry_id}/edit",
    "journal.delete": lambda w: f"/cohorts/{w.cohort.id}/journal/{w.journal_entry_id}/delete",
    "journal.download": lambda w: f"/cohorts/{w.cohort.id}/journal/export.md",
    "journal.share": lambda w: f"/cohorts/{w.cohort.id}/journal/{w.journal_entry_id}/share",
    "journal.revoke": lambda w: f"/cohorts/{w.cohort.id}/journal/{w.journal_entry_id}/revoke",
    "journal.copy": lambda w: f"/cohorts/{w.cohort.id}/journal/{w.journal_entry_id}/copy",
    "journal.shared": lambda w: f"/cohorts/{w.cohort.id}/journal/shared",
    "journal.shared_entry": lambda w: f"/cohorts/{w.cohort.id}/journal/shared/{w.journal_entry_id}",
    "resources.session_list": lambda w: f"/cohorts/{w.cohort.id}/sessions/1/resources",
    "resources.add": lambda w: f"/cohorts/{w.cohort.id}/sessions/1/resources/new",
    "resources.open_resource": lambda w: f"/cohorts/{w.cohort.id}/resources/{w.resource_id}",
    "resources.move": lambda w: f"/cohorts/{w.cohort.id}/resources/{w.resource_id}/move",
    "resources.withdraw": lambda w: f"/cohorts/{w.cohort.id}/resources/{w.resource_id}/withdraw",
    "evaluation.index": lambda w: f"/cohorts/{w.cohort.id}/evaluation/",
    "evaluation.answer": lambda w: f"/cohorts/{w.cohort.id}/evaluation/sessions/1/forms/{w.evaluation_form_id}",
    "evaluation.show_results":
        lambda w: f"/cohorts/{w.cohort.id}/evaluation/sessions/1/forms/{w.evaluation_form_id}/results",
    "evaluation.download": lambda w: f"/cohorts/{w.cohort.id}/evaluation/results.csv",
    "evaluation_admin.compare": lambda w: "/admin/evaluation/",
    "privacy.index": lambda w: "/my-data", "privacy.ask_export": lambda w: "/my-data/exports",
    "privacy.download": lambda w: f"/my-data/exports/{w.export_id}/{w.export_token}",
    "privacy.erase": lambda w: "/my-data/erase",
    "erasure_admin.requests": lambda w: "/admin/erasure-requests",
    "erasure_admin.confirm": lambda w: f"/admin/erasure-requests/{w.erasure_request_id}",
    "dashboard.show": lambda w: f"/cohorts/{w.cohort.id}/dashboard",
    "dashboard.mine": lambda w: f"/cohorts/{w.cohort.id}/my-progress",
    "dashboard.member": lambda w: f"/cohorts/{w.cohort.id}/progress/{w.learner_id}",
    "dashboard.attendance_csv": lambda w: f"/cohorts/{w.cohort.id}/dashboard/attendance.csv",
    "dashboard.participation_csv": lambda w: f"/cohorts/{w.cohort.id}/dashboard/participation.csv",
    "dashboard.assignments_csv": lambda w: f"/cohorts/{w.cohort.id}/dashboard/assignments.csv",
    "dashboard.refresh": lambda w: f"/cohorts/{w.cohort.id}/dashboard/refresh",
    "notifications.index": lambda w: "/notifications",
    "notifications.open": lambda w: f"/notifications/{w.notification_id}",
    "notifications.mark_read": lambda w: f"/notifications/{w.notification_id}/read",
    "notifications.mark_all_read": lambda w: "/notifications/read",
    "notifications.settings": lambda w: "/notifications/settings",
    "notifications.unsubscribe": lambda w: f"/unsubscribe/{w.unsubscribe_token}",
    "notifications.follow": lambda w: f"/cohorts/{w.cohort.id}/threads/{w.thread_id}/follow",
    "notifications.follow_cohort": lambda w: f"/cohorts/{w.cohort.id}/follow",
    "notifications.members_lookup": lambda w: f"/cohorts/{w.cohort.id}/members/lookup",
    "mail_admin.index": lambda w: "/admin/mail",
    "mail_admin.retry": lambda w: f"/admin/mail/{_a_mail_id()}/retry",  # the world's alerts queue mail
    "announcements.index": lambda w: f"/cohorts/{w.cohort.id}/announcements",
    "announcements.new": lambda w: f"/cohorts/{w.cohort.id}/announcements/new",
    "announcements.dismiss": lambda w: f"/cohorts/{w.cohort.id}/announcements/{w.announcement_id}/dismiss",
    "announcements.withdraw": lambda w: f"/cohorts/{w.cohort.id}/announcements/{w.announcement_id}/withdraw",
    "announcements.remind": lambda w: f"/cohorts/{w.cohort.id}/manage/agreement/remind",
}


def _a_mail_id() -> int:
    from sqlalchemy import func, select

    from portal.extensions import db
    from portal.mailqueue.models import QueuedMail

    return db.session.scalar(select(func.min(QueuedMail.id)))


# A journal is its author's alone: nobody else, facilitators and site admins included, reaches an entry.
JOURNAL_OWN = {"facilitator": 404, "suspended": 404, "site_admin": 404}

# Answers that depend on ownership or state rather than on the access level alone: (endpoint, method) ->
# {role: expected status or set of statuses}. "site_admin" here means a site admin with the cohort open
# ("site_admin_opened"); without it, every content route answers 403 (see _expected).
OVERRIDES = {
    ("auth.two_factor_off", "POST"): {"facilitator": 403, "other_facilitator": 403, "site_admin": 403},
    ("cohorts.leave", "GET"): {"site_admin": 404},  # not a member: nothing to leave
    ("cohorts.leave", "POST"): {"site_admin": 404, "suspended": 302},  # leaving is allowed while paused
    ("attendance.mine", "GET"): {"site_admin": 404},
    ("agreements.show", "POST"): {"suspended": {200, 302}},  # accepting is allowed while paused
    ("discussions.edit", "GET"): {"facilitator": 404, "suspended": 404, "site_admin": 404},  # author only
    ("discussions.edit", "POST"): {"facilitator": 404, "site_admin": 404},
    ("discussions.withdraw", "GET"): {"facilitator": 404, "suspended": 404, "site_admin": 404},  # author only
    ("discussions.withdraw", "POST"): {"facilitator": 404, "site_admin": 404},
    ("exercises.show", "POST"): {"facilitator": 404, "site_admin": 404},  # learners write responses
    ("exercises.self_check", "GET"): {"facilitator": 404, "site_admin": 404},  # the learner's own step
    ("exercises.self_check", "POST"): {"facilitator": 404, "site_admin": 404},
    # facilitators read the example and its reference; only learners practise on it
    ("exercises.practise", "POST"): {"facilitator": 404, "site_admin": 404},
    ("exercises.response", "GET"): {"suspended": 404},  # hasn't shared their own response yet
    # the learner's own response: they read it there but never give feedback on it (409, with a message)
    ("exercises.give_feedback", "GET"): {"suspended": 404},
    ("exercises.take_forward", "GET"): {"suspended": 404},
    # the response's author only: everyone else, facilitators included, gets 404
    ("exercises.feedback_landed", "POST"): {"facilitator": 404, "site_admin": 404},
    ("exercises.take_forward", "POST"): {"facilitator": 404, "site_admin": 404},
    # a learner's own conversation with their facilitators: a site admin outside the cohort has none
    ("checkins.mine", "GET"): {"site_admin": 404},
    ("checkins.mine", "POST"): {"site_admin": 404},
    # a held post's author chooses who may see it; nobody else, facilitators included
    ("holding.choose", "POST"): {"facilitator": 404, "site_admin": 404},
    # a submission and its file: its author and the cohort's facilitators only
    # (site admins outside the cohort are not shown learners' work)
    ("assignments.receipt", "GET"): {"suspended": 404, "site_admin": 404},
    ("assignments.download", "GET"): {"suspended": 404, "site_admin": 404},
    ("assignment_marking.mark", "GET"): {"site_admin": 404},
    ("assignment_marking.mark", "POST"): {"site_admin": 404},
    ("assignment_marking.moderate", "POST"): {"site_admin": 404},
    # a site admin outside the cohort has no journal there
    ("journal.index", "GET"): {"site_admin": 404}, ("journal.download", "GET"): {"site_admin": 404},
    ("journal.write", "GET"): {"site_admin": 404}, ("journal.write", "POST"): {"site_admin": 404},
    **{(e, "GET"): JOURNAL_OWN for e in ("journal.show", "journal.edit", "journal.delete", "journal.share",
                                         "journal.copy")},
    **{(e, "POST"): {"facilitator": 404, "site_admin": 404}
       for e in ("journal.edit", "journal.delete", "journal.share", "journal.revoke", "journal.copy")},
    # shared entries are for the cohort's own facilitators, not site admins
    ("journal.shared", "GET"): {"site_admin": 404}, ("journal.shared_entry", "GET"): {"site_admin": 404},
    ("journal.shared_entry", "POST"): {"site_admin": 404},
    # the facilitator (checked before) has withdrawn the handout already: gone, so 404
    ("resources.withdraw", "POST"): {"site_admin": {302, 404}},
    # learners answer evaluations; facilitators and site admins read the results instead
    ("evaluation.answer", "GET"): {"facilitator": 404, "site_admin": 404},
    ("evaluation.answer", "POST"): {"facilitator": 404, "site_admin": 404},
    # a "my data" download is its owner's alone: anyone else signed in gets 404, as if it did not exist
    ("privacy.download", "GET"): {r: 404 for r in ("facilitator", "suspended", "outsider", "other_facilitator",
                                                   "loner", "site_admin")},
    # progress is a learner's own: facilitators and site admins have none of their own in the cohort
    ("dashboard.mine", "GET"): {"facilitator": 404, "site_admin": 404},
    # a learner's progress: theirs (a redirect to "My progress") or, for facilitators, any learner's
    ("dashboard.member", "GET"): {"suspended": 404},
    # a notification is its recipient's alone: everyone else gets 404, as for one that doesn't exist
    ("notifications.open", "GET"): {r: 404 for r in ("facilitator", "suspended", "outsider", "other_facilitator",
                                                     "loner", "site_admin")},
}


def _expected(app: Flask, endpoint: str, method: str, role: str):
    rule = rule_of(app.view_functions[endpoint])
    level = rule.level
    if role == "site_admin" and level in ("member", "facilitator") and not rule.site_admin_manages:
        return 403  # members' words: a site admin gets the page offering to open the cohort, nothing more
    if role == "site_admin_opened":
        role = "site_admin"  # with the cohort open: what the cohort's facilitators may do
    override = OVERRIDES.get((endpoint, method), {})
    if role in override:
        return override[role]
    if level == "public":
        return {200, 302, 405, 410} if method == "GET" else ALLOWED_WRITE
    if role == "anonymous":
        return 302
    allowed = {
        "user": True,
        "site_admin": role == "site_admin",
        "member": role in ("learner", "facilitator", "suspended", "site_admin"),
        "facilitator": role in ("facilitator", "site_admin"),
    }[level]
    if not allowed:
        return 404
    if method == "GET":
        return {200, 302}
    if role == "suspended" and level in ("member", "facilitator") and not rule_of(
            app.view_functions[endpoint]).when_read_only:
        return 403  # paused members can read but not write
    return ALLOWED_WRITE


@pytest.fixture
def world(db, course, cohort, learner, facilitator, suspended, outsider, other_facilitator, loner, site_admin,
          timetable, app, tmp_path, monkeypatch, make_user):
    from datetime import timedelta

    from portal.dates import utcnow

    timetable(cohort)[0].starts_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    first = discussions.start_thread(learner, cohort, None, "Matrix thread", "Some words", None, None)
    thread = db.session.get(Thread, first.thread_id)
    held = discussions.reply(learner, thread, "I want to end my life tonight.", None, None, "matrix-held")
    paused = db.session.query(Membership).filter_by(user_id=suspended.id).one()
    soon = utcnow() + timedelta(days=7)
    invitation = Invitation(cohort_id=cohort.id, email="invitee@example.org", nonce="n", expires_at=soon)
    link = InviteLink(cohort_id=cohort.id, code="matrix-link-code", expires_at=soon, max_uses=5, uses=0)
    upload = CsvImport(cohort_id=cohort.id, created_by_id=facilitator.id, filename="x.csv",
                       rows=[{"line": 1, "name": "A", "email": "a@example.org", "problem": "Already a member"}])
    db.session.add_all([invitation, link, upload])
    db.session.commit()
    sharing, plain = add_exercise(course, 1, self_check=True), add_example(add_exercise(course, 1))
    add_response(cohort, sharing, learner, "A draft", submitted=False)
    shared = add_response(cohort, plain, learner, "Shared words")
    given = Feedback(cohort_id=cohort.id, response_id=shared.id, reviewer_id=facilitator.id, what_worked="Kind",
                     what_worked_html="<p>Kind</p>", ratings={}, status="given", given_at=utcnow())
    db.session.add(given)
    # An open flag on the learner's post: the moderation queue has an item to show and act on.
    db.session.add(Flag(cohort_id=cohort.id, subject_kind="post", subject_id=first.id, flagger_id=suspended.id,
                        author_id=learner.id, reason="boundary"))
    db.session.commit()
    from portal.safeguarding import checkins, concerns
    concern = concerns.open_concern(facilitator, cohort, learner.id, "A worry", "Details", None,
                                    ("post", first.id), None)
    checkins.send_checkin(facilitator, cohort, learner.id, "How are you?", None)
    checkins.reply_checkin(learner, cohort, "Fine, thanks", None)
    essay = _essay(app, cohort, learner, tmp_path, monkeypatch)
    from portal.journal.services import write_entry
    from portal.journal.sharing import share_entry
    entry = share_entry(learner, cohort, write_entry(learner, cohort, None, "Private", "Only mine", None).id)
    handout = _handout(facilitator, cohort)
    from tests.evaluation.factories import add_form
    evaluation = add_form(sessions=(1,))
    from portal.privacy.erasure import request_erasure
    from portal.privacy.services import request_export, sign_export
    export, _ = request_export(learner)
    erasure = request_erasure(loner)
    world = World(cohort, first.thread_id, first.id, paused.id, invitation.id, upload.id, link.id,
                  learner.id, facilitator.id, sharing.id, shared.id, given.id, plain.id, concern.id, held.id,
                  essay.id, entry.id, resource_id=handout.id, evaluation_form_id=evaluation.id,
                  export_id=export.id, export_token=sign_export(export), erasure_request_id=erasure.id)
    world.notification_id, world.unsubscribe_token = _notification(cohort, learner, facilitator, first)
    from portal.announcements.services import post_announcement
    world.announcement_id = post_announcement(facilitator, cohort, "Matrix news", "Room B this week", "matrix").id
    from portal.cohorts.openings import open_cohort
    opener = make_user("opener@example.org", name="Otto Opener", admin=True)
    open_cohort(opener, cohort.id, "Checking the access matrix", 60)
    return world, {
        "learner": learner, "facilitator": facilitator, "suspended": suspended, "outsider": outsider,
        "other_facilitator": other_facilitator, "loner": loner, "site_admin": site_admin,
        "site_admin_opened": opener}


def _notification(cohort, learner, facilitator, post) -> tuple[int, str]:
    """A notification to the learner about their post, and an unsubscribe link from its email."""
    from portal.extensions import db
    from portal.notifications.models import Notification, NotificationEvent
    from portal.notifications.tokens import unsubscribe_token

    event = NotificationEvent(kind="post", cohort_id=cohort.id, actor_id=facilitator.id, subject_kind="post",
                              subject_id=post.id, fanned_out_at=post.created_at)
    db.session.add(event)
    db.session.flush()
    note = Notification(user_id=learner.id, event_id=event.id, kind="reply_to_me", cohort_id=cohort.id,
                        actor_id=facilitator.id, subject_kind="post", subject_id=post.id)
    db.session.add(note)
    db.session.commit()
    return note.id, unsubscribe_token(learner.id, "reply_to_me")


def _essay(app, cohort, learner, tmp_path, monkeypatch):
    from portal import storage
    from portal.assignments.models import Submission
    from portal.extensions import db
    from tests.assignments.factories import pdf_bytes

    monkeypatch.setitem(app.config, "STORAGE_PATH", str(tmp_path / "storage"))
    essay = Submission(cohort_id=cohort.id, assignment_slug="my-recovery-story", user_id=learner.id, version=1,
                       text="My essay", text_sha256="0" * 64, file_key=storage.save(pdf_bytes(), "upload"),
                       file_type="pdf", file_name="essay.pdf", file_size=10, file_sha256="0" * 64)
    db.session.add(essay)
    db.session.commit()
    return essay


def _handout(facilitator, cohort):
    """A handout and a link on session 1 (open): the handout is the one the matrix opens and acts on."""
    from tests.resources.factories import add_file, add_link

    handout = add_file(facilitator, cohort, title="Matrix handout")
    add_link(facilitator, cohort, title="Matrix link")
    return handout


def _client(app, user):
    client = app.test_client()
    if user is not None:
        with client.session_transaction() as s:
            s["_user_id"], s["_fresh"] = user.get_id(), True
            s["_portal_started"] = s["_portal_seen"] = int(time.time())
    return client


def _routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method


def _check(status, expected) -> bool:
    return status in expected if isinstance(expected, set) else status == expected


def test_every_route_has_a_place_in_the_matrix(app):
    missing = sorted({e for e, _ in _routes(app)} - set(URLS))
    assert missing == []


def test_reads(app, world):
    w, users = world
    failures = []
    clients = {role: _client(app, users.get(role)) for role in ROLES}
    for endpoint, method in _routes(app):
        if method != "GET" or endpoint not in URLS:
            continue
        url = URLS[endpoint](w)
        for role in ROLES:
            status = clients[role].get(url).status_code
            expected = _expected(app, endpoint, "GET", role)
            if not _check(status, expected):
                failures.append(f"GET {url} as {role}: {status}, expected {expected}")
    assert failures == []




def _post_endpoints():
    from portal import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 40, "DATABASE_URL": "sqlite://"})
    return sorted({e for e, m in _routes(app) if m == "POST"})


@pytest.mark.parametrize("endpoint", _post_endpoints())
def test_writes(app, world, endpoint):
    """Each POST route in a fresh world (writes change it), as every role, with a valid CSRF token."""
    w, users = world
    if endpoint not in URLS:
        pytest.fail(f"{endpoint} has no place in the matrix")
    url = URLS[endpoint](w)
    failures = []
    for role in ROLES:
        client = _client(app, users.get(role))
        token = csrf_token(client, "/forgot-password" if role == "anonymous" else "/account")
        status = client.post(url, data={"csrf_token": token}).status_code
        expected = _expected(app, endpoint, "POST", role)
        if not _check(status, expected):
            failures.append(f"POST {url} as {role}: {status}, expected {expected}")
    assert failures == []
