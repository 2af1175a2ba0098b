"""Garbage into every form: wrong types, huge strings, NUL bytes, lists for scalars, broken UTF-8.
Each gets a 4xx and changes nothing."""
from __future__ import annotations

import pytest

from tests.conftest import csrf_token
from tests.security.test_access_matrix import URLS, _client, world  # noqa: F401  (fixture)
from tests.security.test_crawl import _fingerprint

HUGE = "x" * 200_001
# endpoint -> (role that may use it, field names)
FORMS = {
    "auth.login": ("anonymous", ["email", "password", "remember"]),
    "auth.forgot_password": ("anonymous", ["email"]),
    "auth.account": ("learner", ["display_name", "pronouns"]),
    "auth.change_password": ("learner", ["current_password", "password", "confirm"]),
    "admin.new_cohort": ("site_admin", ["name", "start_date", "status"]),
    "admin.edit_cohort": ("site_admin", ["name", "start_date", "status"]),
    "admin.add_facilitator": ("site_admin", ["email"]),
    "admin.remove_facilitator": ("site_admin", ["reason"]),
    "admin.withdraw_invitation": ("site_admin", ["reason"]),
    "people.deactivate": ("site_admin", ["reason"]),
    "people.reset_two_factor": ("site_admin", ["reason"]),
    "agreements.manage": ("facilitator", ["ground_rules", "change", "previewed"]),
    "manage.timetable": ("facilitator", ["rows-0-entry_id", "rows-0-day", "rows-0-at", "rows-0-location"]),
    "manage.member_status": ("facilitator", ["action"]),
    "manage.session_moderation": ("facilitator", ["level"]),
    "manage.usual_hours": ("facilitator", ["usual_hours"]),
    "holding.choose": ("learner", ["choice"]),
    "discussions.new_thread": ("learner", ["title", "body", "warning_choice", "warning_other", "client_token",
                                           "keep_owner"]),
    "discussions.thread": ("learner", ["body", "reply_to", "client_token", "warning_choice", "keep_owner", "action"]),
    "discussions.edit": ("learner", ["body", "version", "warning_choice", "keep_owner"]),
    "discussions.save_draft": ("learner", ["key", "title", "body", "warning", "token"]),
    "discussions.react": ("learner", ["kind"]),
    "discussions.composer_hints": ("learner", ["body"]),
    "exercises.show": ("learner", ["body", "version", "intent", "warning_choice", "warning_other", "keep_owner",
                                   "action"]),
    "exercises.self_check": ("learner", ["answers-0", "answers-1", "answers-2", "version", "keep_owner"]),
    # the facilitator may give feedback on the learner's shared response: garbage is refused, nothing stored
    "exercises.give_feedback": ("facilitator", ["body", "to_consider", "intent", "client_token", "rating-mutual",
                                                "keep_owner"]),
    "exercises.hide_feedback": ("facilitator", ["reason", "action"]),
    "exercises.change_allocation": ("facilitator", ["action", "reviewer", "response", "allocation"]),
    "exercises.feedback_landed": ("learner", ["strengths_first", "respectful", "useful"]),
    "exercises.take_forward": ("learner", ["take_forward", "keep_owner"]),
    # the learner has shared a response to the example's exercise, so they may practise: garbage is refused
    "exercises.practise": ("learner", ["body", "to_consider", "rating-mutual", "keep_owner"]),
    "attendance.record": ("facilitator", ["status-1", "status-2"]),
    "enrolment.invitations": ("facilitator", ["name", "email"]),
    "enrolment.invite_links": ("facilitator", ["days", "max_uses"]),
    "enrolment.withdraw_invitations": ("facilitator", ["invitation"]),
    "enrolment.upload_csv": ("facilitator", ["file"]),
    "safeguarding.new_concern": ("facilitator", ["member", "summary", "details", "follow_up_on", "kind", "item_id",
                                                 "client_token", "keep_owner"]),
    "safeguarding.add_action": ("facilitator", ["done_on", "note", "follow_up_on", "client_token", "keep_owner"]),
    "safeguarding.link_item": ("facilitator", ["kind", "item_id"]),
    "safeguarding.close_concern": ("facilitator", ["outcome", "keep_owner"]),
    "safeguarding.reopen_concern": ("facilitator", ["reason"]),
    "checkins.conversation": ("facilitator", ["body", "client_token", "keep_owner"]),
    "checkins.mine": ("learner", ["body", "client_token", "keep_owner"]),
    "safety_words.edit": ("site_admin", ["phrases", "keep_owner"]),
    # the learner wrote the post: the facilitator may flag it
    "moderation.flag": ("facilitator", ["reason", "note"]),
    "moderation.act": ("facilitator", ["action", "reason", "days", "session", "flag"]),
    "moderation.edit": ("facilitator", ["body", "reason"]),
    "moderation.member": ("facilitator", ["action"]),
    "assignments.show": ("learner", ["text", "submit", "upload"]),
    "assignment_marking.set_due": ("facilitator", ["due_at"]),
    "assignment_marking.extend": ("facilitator", ["learner_id", "due_at"]),
    "assignment_marking.mark": ("facilitator", ["feedback", "outcome", "next_step"]),
    "assignment_marking.moderate": ("facilitator", ["outcome"]),
    "journal.write": ("learner", ["title", "session", "body", "client_token", "keep_owner", "action"]),
    "journal.edit": ("learner", ["title", "session", "body", "version", "keep_owner", "action"]),
    "journal.shared_entry": ("facilitator", ["body", "keep_owner"]),
    "journal.copy": ("learner", ["space", "title", "thread", "client_token"]),
    "resources.add": ("facilitator", ["title", "description", "url", "upload", "client_token", "keep_owner"]),
    "resources.move": ("facilitator", ["direction"]),
    "evaluation.answer": ("learner", ["q_useful", "q_pace", "q_keep", "q_change"]),
    "notifications.settings": ("learner", ["mode-reply_to_me", "mode-mention", "mode-thread_reply",
                                           "include_words"]),
    "announcements.new": ("facilitator", ["title", "body", "client_token", "keep_owner"]),
}
GARBAGE = {
    "huge": lambda names: {n: HUGE for n in names},
    "nul": lambda names: {n: "\x00\x00\x00" for n in names},
    "lists": lambda names: {n: [HUGE, "second"] for n in names},
    "wrong types": lambda names: {n: "-1e309" if i % 2 else "2027-13-45T99:99" for i, n in enumerate(names)},
}


# Free-text fields where that kind of garbage is, in fact, acceptable text (a name like "2027-13-45").
ACCEPTABLE = {("auth.account", "wrong types"), ("agreements.manage", "wrong types"), ("agreements.manage", "nul")}
# A reason is optional free text: NUL bytes are dropped (leaving no reason) and odd text is still a reason.
ACCEPTABLE |= {(e, k) for e in ("admin.remove_facilitator", "admin.withdraw_invitation",
                                                  "people.deactivate", "people.reset_two_factor",
                                                  "exercises.hide_feedback")
               for k in ("wrong types", "nul")}
# The "take forward" note is optional free text: odd text is still a note; NUL bytes are dropped (no note).
ACCEPTABLE |= {("exercises.take_forward", "wrong types"), ("exercises.take_forward", "nul")}
# A facilitator's reply to a shared journal entry is free text: odd text is still a reply.
ACCEPTABLE |= {("journal.shared_entry", "wrong types")}
# A facilitator's edit is free text with a reason: odd text is still text.
ACCEPTABLE |= {("moderation.edit", "wrong types")}
# The facilitators' usual hours are free text: odd text is still words; NUL bytes are dropped (the default).
ACCEPTABLE |= {("manage.usual_hours", "wrong types"), ("manage.usual_hours", "nul")}
# The live hints read any text and store nothing: odd text just gets no hints (a 200 with nothing in it).
ACCEPTABLE |= {("discussions.composer_hints", "wrong types"), ("discussions.composer_hints", "nul")}
# An outcome, a message or a safety phrase is free text: "2027-13-45T99:99" or "-1e309" is still one.
ACCEPTABLE |= {("safeguarding.close_concern", "wrong types"), ("checkins.conversation", "wrong types"),
               ("checkins.mine", "wrong types"), ("safety_words.edit", "wrong types")}
# An announcement's title and words are free text: "2027-13-45T99:99" and "-1e309" are still words.
ACCEPTABLE |= {("announcements.new", "wrong types")}
# Reopening a concern that is open changes nothing, whatever the (optional) reason says.
ACCEPTABLE |= {("safeguarding.reopen_concern", "wrong types"), ("safeguarding.reopen_concern", "nul")}


@pytest.mark.parametrize("endpoint,kind", [(e, k) for e in sorted(FORMS) for k in sorted(GARBAGE)
                                           if (e, k) not in ACCEPTABLE])
def test_garbage_gets_a_4xx_and_changes_nothing(app, db, world, endpoint, kind):
    w, users = world
    role, names = FORMS[endpoint]
    client = _client(app, users.get(role))
    token = csrf_token(client, "/forgot-password" if role == "anonymous" else "/account")
    before = _fingerprint(db)
    data = {**GARBAGE[kind](names), "csrf_token": token}
    response = client.post(URLS[endpoint](w).split("?")[0], data=data)
    assert 400 <= response.status_code < 500, f"{endpoint} {kind}: {response.status_code}"
    assert _fingerprint(db) == before


@pytest.mark.parametrize("endpoint", sorted(FORMS))
def test_broken_utf8_gets_a_4xx_and_changes_nothing(app, db, world, endpoint):
    w, users = world
    role, names = FORMS[endpoint]
    client = _client(app, users.get(role))
    token = csrf_token(client, "/forgot-password" if role == "anonymous" else "/account")
    before = _fingerprint(db)
    raw = "&".join(f"{n}=%ff%fe%00" for n in names).encode() + b"&csrf_token=" + token.encode() + b"&x=\xff\xfe"
    response = client.post(URLS[endpoint](w), data=raw, content_type="application/x-www-form-urlencoded")
    assert 400 <= response.status_code < 500, f"{endpoint}: {response.status_code}"
    assert _fingerprint(db) == before


# Read-only pages with no form of their own: garbage in the query string or a POST changes nothing.
READ_ONLY_PAGES = {"exercises.members_overview": "facilitator", "assignment_marking.overview": "facilitator",
                   "assignments.receipt": "learner", "assignments.index": "learner", "journal.index": "learner",
                   "resources.session_list": "learner",
                   "evaluation.index": "learner", "evaluation.show_results": "facilitator",
                   "evaluation_admin.compare": "site_admin",
                   "privacy.index": "learner", "erasure_admin.requests": "site_admin",
                   "dashboard.show": "facilitator", "dashboard.mine": "learner", "dashboard.member": "facilitator",
                   "dashboard.participation_csv": "facilitator",
                   "notifications.index": "learner", "notifications.members_lookup": "learner",
                   "mail_admin.index": "site_admin", "announcements.index": "learner"}


@pytest.mark.parametrize("endpoint", sorted(READ_ONLY_PAGES))
def test_read_only_pages_shrug_off_garbage(app, db, world, endpoint):
    w, users = world
    client = _client(app, users.get(READ_ONLY_PAGES[endpoint]))
    before = _fingerprint(db)
    for kind, make in sorted(GARBAGE.items()):
        names = ["q", "page", "exercise", "learner"]
        data = {n: v if isinstance(v, str) else v[1] for n, v in make(names).items()}
        assert client.get(URLS[endpoint](w), query_string=data).status_code == 200, kind
    raw = client.get(URLS[endpoint](w) + "?x=%ff%fe%00&q=\xff")
    assert raw.status_code == 200
    token = csrf_token(client, "/account")
    assert client.post(URLS[endpoint](w), data={"csrf_token": token, "x": HUGE}).status_code == 405
    assert _fingerprint(db) == before
