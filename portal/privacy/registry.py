"""Every table, and what "my data", erasure and retention do with it: the one place to extend.

A new table must be added to EXPORTED or LEFT_OUT (with a reason), or the model walk in
tests/privacy/test_registry.py fails.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Table, and_, func, or_, select

from portal.extensions import db

# Columns never exported: secrets that would help nobody and harm if the ZIP leaked.
SECRET_COLUMNS = {"password_hash", "totp_secret", "totp_last_step", "reset_stamp", "session_version", "nonce",
                  "token", "token_hash", "code_hash", "code", "client_token", "file_key"}


def t(name: str) -> Table:
    return db.Model.metadata.tables[name]


def _mine(column: str) -> Callable:
    return lambda table, user: table.c[column] == user.id


def _through(parent: str, link: str, owner: str) -> Callable:
    """Rows whose `link` points at a row of `parent` that belongs to the person (`owner` column)."""
    return lambda table, user: table.c[link].in_(select(t(parent).c.id).where(t(parent).c[owner] == user.id))


@dataclass(frozen=True)
class Part:
    """One file of the export: which rows of a table are the person's, and what is left out of each."""
    title: str  # for people, in the Markdown
    where: Callable  # (table, user) -> SQL condition
    omit: frozenset[str] = field(default_factory=frozenset)
    note: str = ""  # said in the Markdown above the rows


def _feedback_received(table, user):
    responses = t("exercise_responses")
    return and_(table.c.response_id.in_(select(responses.c.id).where(responses.c.author_id == user.id)),
                table.c.status == "given", table.c.hidden_at.is_(None))


def _about_me(table, user):
    """Events about the account itself. Not every event the person did: a facilitator's events are about other
    members (a pause and its reason), which are those members' data."""
    return and_(table.c.subject_type == "users", table.c.subject_id == user.id)


def _invitations(table, user):
    return or_(table.c.accepted_by_id == user.id, func.lower(table.c.email) == user.email.lower())


_HELD = frozenset({"hidden_by_id", "reviewed_by_id", "released_by_id", "held_choice"})

# table -> the parts of the export drawn from it (feedback has two: given and received).
EXPORTED: dict[str, tuple[Part, ...]] = {
    "users": (Part("Your profile", _mine("id")),),
    "memberships": (Part("Your cohorts", _mine("user_id")),),
    "agreement_acceptances": (Part("Agreements you accepted", _mine("user_id")),),
    "attendance": (Part("Your attendance", _through("memberships", "membership_id", "user_id")),),
    "threads": (Part("Discussions you started", _mine("author_id")),),
    "posts": (Part("Your posts", _mine("author_id"), _HELD),),
    "post_revisions": (Part("Earlier versions of your posts", _through("posts", "post_id", "author_id")),),
    "reactions": (Part("Your reactions to posts", _mine("user_id")),),
    "thread_reads": (Part("How far you have read each discussion", _mine("user_id")),),
    "drafts": (Part("Your unsent drafts", _mine("user_id")),),
    "kept_texts": (Part("Writing kept for you after a lost session", _mine("user_id")),),
    "exercise_responses": (Part("Your exercise responses", _mine("author_id"), _HELD),),
    "response_revisions": (Part("Earlier versions of your responses",
                                _through("exercise_responses", "response_id", "author_id")),),
    "response_self_checks": (Part("Your self-checks", _mine("author_id")),),
    "feedback": (
        Part("Feedback you gave", _mine("reviewer_id"), _HELD),
        Part("Feedback you received", _feedback_received, _HELD | {"reviewer_id", "hidden_reason"},
             note="Who gave each piece of feedback is not included: on some exercises reviewers are anonymous, "
                  "and they stay so."),
    ),
    "review_allocations": (Part("Responses you were asked to review", _mine("reviewer_id"),
                                frozenset({"author_id"})),),
    "example_practice": (Part("Your practice on example responses", _mine("user_id")),),
    "journal_entries": (Part("Your journal", _mine("author_id")),),
    "submissions": (Part("Your assignment submissions", _mine("user_id"),
                         note="Files you handed in are in the files/ folder of this ZIP."),),
    "assignment_markings": (Part("Marking of your submissions (once released)",
                                 lambda table, user: and_(_through("submissions", "submission_id", "user_id")(
                                     table, user), table.c.state == "released")),),
    "assignment_extensions": (Part("Extensions you were given", _mine("user_id")),),
    "flags": (Part("Posts and responses you flagged", _mine("flagger_id"), frozenset({"author_id"})),),
    "checkin_conversations": (Part("Check-ins with your facilitators", _mine("member_id")),),
    "checkin_messages": (Part("Check-in messages", _through("checkin_conversations", "conversation_id",
                                                            "member_id")),),
    "audit_events": (Part("Records kept about your account", _about_me),),
    "invitations": (Part("Invitations sent to you", _invitations),),
    "notifications": (Part("Your notifications", _mine("user_id"), frozenset({"actor_id", "event_id"})),),
    "thread_follows": (Part("Discussions you follow (or stopped following)", _mine("user_id")),),
    "cohort_follows": (Part("Cohorts whose every discussion you follow", _mine("user_id")),),
    "notification_preferences": (Part("Your email choices for each kind of notification", _mine("user_id")),),
    "notification_settings": (Part("Whether your emails include what members wrote", _mine("user_id")),),
    "resource_opens": (Part("Session resources you have opened", _mine("user_id")),),
    "announcement_dismissals": (Part("Announcements you closed on a cohort's home page", _mine("user_id")),),
    "evaluation_receipts": (Part("Course evaluations you have answered", _mine("user_id"),
                                 note="Only that you answered: your answers were stored without your name, so "
                                      "nobody, the portal included, can tell which are yours."),),
}

# table -> why it is not in the export. Reasons are for a data protection officer as much as a developer.
LEFT_OUT: dict[str, str] = {
    "agreements": "The course's confidentiality agreement text: nobody's personal data.",
    "courses": "The course itself: nobody's personal data.",
    "course_sessions": "The course's sessions: nobody's personal data.",
    "exercises": "The course's exercises: nobody's personal data.",
    "cohorts": "A cohort's name, dates and the facilitators' usual hours: the cohort is named in 'Your cohorts'.",
    "cohort_sessions": "A cohort's timetable: nobody's personal data.",
    "cohort_exercise_settings": "Facilitators' settings for an exercise in a cohort: nobody's personal data.",
    "agreement_versions": "A cohort's ground rules; holds the editing facilitator's id only as the editor.",
    "assignment_dues": "A cohort's due dates; holds the facilitator's id only as the one who set them.",
    "recovery_codes": "Hashes of the person's two-factor recovery codes: secrets, of no use outside sign-in.",
    "invite_links": "Join codes a facilitator made; holds their id only as the maker.",
    "csv_imports": "A facilitator's upload of other people's names and addresses, waiting to be confirmed: "
                   "other people's data. Deleted when the facilitator is erased.",
    "safety_phrase_lists": "The site-wide list of safety words; holds the saving admin's id only.",
    "moderation_alerts": "Facilitators' working alerts about an item (safety words, flags): the item itself "
                         "is exported; the alert is the facilitators' record.",
    "concerns": "Safeguarding records written by facilitators about a member. Not self-service: the data "
                "protection officer discloses them on request, case by case (third parties, serious harm).",
    "concern_actions": "Steps taken on a safeguarding concern: as for concerns.",
    "concern_items": "Links from a safeguarding concern to posts (ids only): as for concerns.",
    "queued_mail": "Mail the portal sent: each message's content (a notice or a link) is already in the "
                   "person's mailbox; unsent mail to an erased person is deleted.",
    "data_exports": "The exports themselves (a record of when one was asked for and its expiry).",
    "erasure_requests": "The request to be erased: its date and who confirmed it.",
    "cohort_openings": "A site administrator's opening of a cohort to read it: the administrator's own reason, "
                       "kept as the record of who read the cohort and why.",
    "notification_events": "What happened, kept so the portal can tell the people concerned (the doer's id "
                           "and what it was about, no words); each person's own notifications are exported.",
    "unsubscribe_uses": "Unsubscribe links already used (a random number, so a link works once): no words.",
    "resources": "A session's handouts and links: course material, not anyone's personal data; holds the "
                 "adding facilitator's id only as the one who added it.",
    "evaluation_forms": "The course's evaluation forms: nobody's personal data.",
    "announcements": "A cohort's announcements: the facilitators' notices to the whole cohort (dates, rooms, "
                     "reminders), like its ground rules; holds the posting facilitator's id only as the author, "
                     "emptied when they are erased. Deleted with the cohort's content at the end of retention.",
    "evaluation_questions": "The questions of the course's evaluation forms: nobody's personal data.",
    "dashboard_snapshots": "Counts of each learner's activity per session (attended, posts, responses, feedback "
                           "given) kept for the facilitators' dashboard, a few minutes old at most: derived from "
                           "the attendance, posts, responses and feedback exported here, and no words. Replaced "
                           "every few minutes and deleted with the cohort's content.",
    "evaluation_answers": "Anonymous by design: answers are stored without any person, time or order, so "
                          "nobody's answers can be found, exported or erased as theirs (learners are told "
                          "this before they answer).",
}


# What erasure leaves pointing at the anonymised account (which holds no name, address or password): every
# other reference to the person is emptied, or its row deleted (erasure.py, `_unlink`). (table, column) -> why.
ERASURE_KEEPS: dict[tuple[str, str], str] = {
    ("memberships", "user_id"): "Which cohorts the anonymised account was in (now 'left'): rosters, attendance "
                                "and counts stay true. No name or words.",
    ("agreement_acceptances", "user_id"): "That the cohort's agreement was accepted, and when: no words.",
    ("threads", "author_id"): "A discussion others replied in: its title is replaced (or kept, by policy) and "
                              "shows as started by 'A former member'.",
    ("posts", "author_id"): "Posts others replied to: replaced (or kept, by policy) under 'A former member', so "
                            "replies keep their place.",
    ("exercise_responses", "author_id"): "Responses others gave feedback on: replaced (or kept, by policy).",
    ("feedback", "reviewer_id"): "Feedback the member gave: replaced (or kept, by policy); the response's author "
                                 "keeps seeing that feedback was given.",
    ("audit_events", "actor_id"): "What the account did stays accountable (who, what, when) as 'A former "
                                  "member'; any text in the event is replaced.",
    ("erasure_requests", "user_id"): "The record that the person asked to be erased and who confirmed it.",
}
