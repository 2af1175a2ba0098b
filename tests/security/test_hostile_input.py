"""Every payload of our corpus through every field people write that is shown anywhere: the page that
shows it must hold exactly the same executable markup as with harmless text (our own forms and links)."""
from __future__ import annotations

import re
from collections import Counter
from urllib.parse import quote

import pytest

from portal.discussions import services as discussions
from tests.conftest import csrf_token, login
from tests.security.markup import executable_markup
from tests.security.payloads import PAYLOADS

HARMLESS = "Harmless words"


def _markup(client, urls) -> Counter:
    found = Counter()
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        found.update(executable_markup(response.get_data(as_text=True)))
    return found


def _post(client, url, data):
    response = client.post(url, data={**data, "csrf_token": csrf_token(client, "/account")})
    assert response.status_code < 500, (url, data)
    return response


class Fields:
    """How to write each field, and where it is shown."""

    def __init__(self, app, cohort, learner, facilitator, site_admin, db):
        self.app, self.cohort, self.db = app, cohort, db
        self.learner, self.facilitator, self.admin = learner, facilitator, site_admin
        self.as_learner = self._client(learner)
        self.as_facilitator = self._client(facilitator)
        self.as_admin = self._client(site_admin)
        first = discussions.start_thread(learner, cohort, None, "Thread", "Body", None, None)
        self.thread_id, self.post_id = first.thread_id, first.id
        self.c = f"/cohorts/{cohort.id}"

    def _client(self, user):
        client = self.app.test_client()
        assert login(client, user.email).status_code == 302
        return client

    def display_name(self, value):
        _post(self.as_learner, "/account", {"display_name": value, "pronouns": ""})
        return self.as_learner, ["/home", f"{self.c}/members", f"{self.c}/threads/{self.thread_id}",
                                 f"{self.c}/threads/{self.thread_id}?reply_to={self.post_id}"]  # "Replying to"

    def facilitator_name(self, value):
        _post(self.as_facilitator, "/account", {"display_name": value, "pronouns": ""})
        return self.as_learner, ["/need-help-now", f"{self.c}/members"]

    def display_name_to_facilitators(self, value):
        from portal.cohorts.models import Membership

        _post(self.as_learner, "/account", {"display_name": value, "pronouns": ""})
        place = self.db.session.query(Membership).filter_by(user_id=self.learner.id).one()
        return self.as_facilitator, [f"{self.c}/members", f"{self.c}/manage/members/{place.id}/remove"]

    def invitation_name(self, value):
        from portal.enrolment.models import Invitation

        _post(self.as_facilitator, f"{self.c}/invitations", {"name": value, "email": "named@example.org"})
        ids = [i.id for i in self.db.session.query(Invitation).filter_by(cohort_id=self.cohort.id)]
        return self.as_facilitator, [f"{self.c}/invitations",
                                     f"{self.c}/invitations/withdraw?" + "&".join(f"invitation={i}" for i in ids)]

    def pronouns(self, value):
        _post(self.as_learner, "/account", {"display_name": "Lee", "pronouns": value})
        return self.as_facilitator, [f"{self.c}/members", f"{self.c}/threads/{self.thread_id}"]

    def cohort_name(self, value):
        _post(self.as_admin, f"/admin/cohorts/{self.cohort.id}", {"name": value, "status": "running"})
        return self.as_learner, ["/home", f"{self.c}/", f"{self.c}/members", "/need-help-now"]

    def _save_ground_rules(self, value):
        url = f"{self.c}/manage/agreement"
        page = _post(self.as_facilitator, url, {"ground_rules": value, "preview": "Preview changes"})
        digest = re.search(r'name="previewed" type="hidden" value="([^"]*)"', page.get_data(as_text=True))
        _post(self.as_facilitator, url, {"ground_rules": value, "previewed": digest.group(1) if digest else "",
                                         "change": "renew", "save": "Save ground rules"})

    def ground_rules(self, value):
        self._save_ground_rules(value)
        return self.as_facilitator, [f"{self.c}/agreement", f"{self.c}/manage/agreement"]

    def ground_rules_changes(self, value):
        self._save_ground_rules(value)  # the learner agreed to version 1: their page shows what changed since
        return self.as_learner, [f"{self.c}/agreement"]

    def location(self, value):
        from sqlalchemy import select

        from portal.cohorts.models import CohortSession
        entry = self.db.session.scalars(select(CohortSession).where(
            CohortSession.cohort_id == self.cohort.id).order_by(CohortSession.id)).first()
        _post(self.as_facilitator, f"{self.c}/manage/timetable",
              {"rows-0-entry_id": entry.id, "rows-0-day": "2020-01-01", "rows-0-at": "18:00",
               "rows-0-location": value})
        return self.as_learner, [f"{self.c}/", f"{self.c}/sessions/1"]

    def thread_title(self, value):
        response = _post(self.as_learner, f"{self.c}/discussions/general/new",
                         {"title": value, "body": f"Body {hash(value)}", "client_token": str(hash(value))})
        location = response.headers.get("Location", f"{self.c}/discussions/general")
        if "/threads/" in location:  # a reply from someone else lists the title on the home pages
            _post(self.as_facilitator, location.split("#")[0],
                  {"body": f"Reply {hash(value)}", "client_token": f"r{hash(value)}"})
        return self.as_learner, ["/home", f"{self.c}/", location]  # home first: reading marks it read

    def thread_title_in_notifications(self, value):
        response = _post(self.as_learner, f"{self.c}/discussions/general/new",
                         {"title": value, "body": f"Body n{hash(value)}", "client_token": f"nt{hash(value)}"})
        location = response.headers.get("Location", "")
        if "/threads/" in location:  # a facilitator's reply notifies the learner: "… replied to you in “title”"
            _post(self.as_facilitator, location.split("#")[0],
                  {"body": f"Reply n{hash(value)}", "client_token": f"nr{hash(value)}"})
        _post(self.as_learner, "/notifications/read", {})  # each write adds one: the same buttons every time
        return self.as_learner, ["/notifications"]

    def display_name_in_notifications(self, value):
        _post(self.as_facilitator, "/account", {"display_name": value, "pronouns": ""})
        _post(self.as_facilitator, f"{self.c}/threads/{self.thread_id}",
              {"body": f"Reply d{hash(value)}", "client_token": f"nd{hash(value)}"})
        _post(self.as_learner, "/notifications/read", {})
        return self.as_learner, ["/notifications"]

    def post_body(self, value):
        page = self.as_learner.get(f"{self.c}/posts/{self.post_id}/edit").get_data(as_text=True)
        version = re.search(r'name="version" type="hidden" value="([^"]+)"', page).group(1)
        _post(self.as_learner, f"{self.c}/posts/{self.post_id}/edit", {"body": value, "version": version})
        return self.as_facilitator, [f"{self.c}/threads/{self.thread_id}", f"{self.c}/posts/{self.post_id}/revisions"]

    def content_warning(self, value):
        page = self.as_learner.get(f"{self.c}/posts/{self.post_id}/edit").get_data(as_text=True)
        version = re.search(r'name="version" type="hidden" value="([^"]+)"', page).group(1)
        _post(self.as_learner, f"{self.c}/posts/{self.post_id}/edit",
              {"body": "Same body", "version": version, "warning_choice": "other", "warning_other": value})
        return self.as_learner, [f"{self.c}/threads/{self.thread_id}", f"{self.c}/posts/{self.post_id}/withdraw"]

    def names_to_site_admins(self, value):
        _post(self.as_learner, "/account", {"display_name": value, "pronouns": ""})
        _post(self.as_admin, f"/admin/cohorts/{self.cohort.id}", {"name": value, "status": "running"})
        from portal.audit.services import record
        record(self.admin, "test.named", subject=self.learner, cohort=self.cohort)  # names in the log
        self.db.session.commit()
        person = f"/admin/people/{self.learner.id}"
        return self.as_admin, ["/admin/people", f"/admin/people?q={quote(value[:200])}", person,
                               f"{person}/deactivate", f"/admin/people/{self.facilitator.id}/deactivate",
                               f"/admin/cohorts/{self.cohort.id}/facilitators/{self.facilitator.id}/remove",
                               "/admin/audit"]

    def audit_reason(self, value):
        _post(self.as_admin, f"/admin/people/{self.learner.id}/deactivate", {"reason": value})
        _post(self.as_admin, f"/admin/people/{self.learner.id}/reactivate", {"reason": value})
        return self.as_admin, ["/admin/audit"]

    def opening_reason(self, value):
        """A site admin's reason for opening the cohort: shown to its facilitators (portal/cohorts/openings.py)."""
        _post(self.as_admin, f"/admin/cohorts/{self.cohort.id}/open", {"reason": value[:500] or "x", "minutes": "10"})
        return self.as_facilitator, [f"{self.c}/manage/audit", f"{self.c}/manage/timetable"]

    def facilitator_invitation_name(self, value):
        _post(self.as_admin, f"{self.c}/invitations",
              {"name": value, "email": "future-facilitator@example.org", "role": "facilitator"})
        return self.as_admin, [f"/admin/cohorts/{self.cohort.id}"]

    def _exercise(self, self_check: bool = False):
        from tests.exercises.factories import add_exercise
        slug = f"hostile-{self_check}-{len(getattr(self, '_made', []))}"
        self._made = [*getattr(self, "_made", []), slug]
        return add_exercise(self.cohort.course_id, 1, slug=slug, self_check=self_check)

    def _respond(self, value, warning=None):
        if not hasattr(self, "exercise"):
            self.exercise = self._exercise()
        url = f"{self.c}/exercises/{self.exercise.id}"
        page = self.as_learner.get(url).get_data(as_text=True)
        version = re.search(r'name="version" type="hidden" value="([^"]*)"', page).group(1)
        data = {"body": value, "version": version, "intent": "submit"}
        if warning is not None:
            data.update(body=f"Body {hash(warning)}", warning_choice="other", warning_other=warning)
        _post(self.as_learner, url, data)
        from portal.exercises.response_models import ExerciseResponse
        response = self.db.session.query(ExerciseResponse).filter_by(exercise_id=self.exercise.id).one()
        return url, f"{self.c}/responses/{response.id}"

    def response_body(self, value):
        exercise_page, response_page = self._respond(value)
        return self.as_facilitator, [exercise_page, response_page]  # the response and its earlier versions

    def response_body_to_its_author(self, value):
        exercise_page, response_page = self._respond(value)
        return self.as_learner, [exercise_page, response_page]  # the composer holds it too

    def response_content_warning(self, value):
        exercise_page, response_page = self._respond("", warning=value)
        return self.as_facilitator, [exercise_page, response_page]

    def self_check_answer(self, value):
        exercise = self._exercise(self_check=True)
        url = f"{self.c}/exercises/{exercise.id}"
        _post(self.as_learner, url, {"body": "Words", "version": "0", "intent": "draft"})
        _post(self.as_learner, f"{url}/self-check", {"answers-0": value, "answers-1": value, "version": "1"})
        from portal.exercises.response_models import ExerciseResponse
        response = self.db.session.query(ExerciseResponse).filter_by(exercise_id=exercise.id).one()
        return self.as_learner, [f"{self.c}/responses/{response.id}"]

    def _feedback(self, value, **fields):
        from tests.exercises.factories import CRITERIA, add_response
        response = add_response(self.cohort, self._exercise(), self.learner, "Words to give feedback on")
        ratings = {f"rating-{c['key']}": "clear" for c in CRITERIA}
        _post(self.as_facilitator, f"{self.c}/responses/{response.id}/feedback",
              {"body": value, "intent": "give", "client_token": "t", **ratings, **fields})
        return f"{self.c}/responses/{response.id}"

    def feedback_what_worked(self, value):
        page = self._feedback(value or "x")
        return self.as_learner, [page]  # the author reads it

    def feedback_to_consider(self, value):
        page = self._feedback("Good", to_consider=value)
        return self.as_facilitator, [page]

    def hidden_feedback_reason(self, value):
        page = self._feedback("Good")
        from portal.exercises.feedback_models import Feedback
        item = self.db.session.query(Feedback).order_by(Feedback.id.desc()).first()
        _post(self.as_facilitator, f"{self.c}/feedback/{item.id}/hide", {"reason": value or "x"})
        return self.as_facilitator, [page]  # shown with the feedback (and to its reviewer, the same macro)

    def take_forward_note(self, value):
        from tests.exercises.factories import add_response
        response = add_response(self.cohort, self._exercise(), self.learner, "Words")
        _post(self.as_learner, f"{self.c}/responses/{response.id}/take-forward", {"take_forward": value})
        return self.as_facilitator, [f"{self.c}/responses/{response.id}"]

    def take_forward_note_to_its_author(self, value):
        from tests.exercises.factories import add_response
        response = add_response(self.cohort, self._exercise(), self.learner, "Words")
        _post(self.as_learner, f"{self.c}/responses/{response.id}/take-forward", {"take_forward": value})
        return self.as_learner, [f"{self.c}/responses/{response.id}"]

    def _practise(self, **fields):
        from tests.exercises.factories import CRITERIA, add_example, add_response
        exercise = add_example(self._exercise())  # practice is once per exercise: a fresh one each time
        add_response(self.cohort, exercise, self.learner, "My own response first")
        ratings = {f"rating-{c['key']}": "clear" for c in CRITERIA}
        url = f"{self.c}/exercises/{exercise.id}/example"
        _post(self.as_learner, url, {**ratings, **fields})
        return self.as_learner, [url]  # their words beside the reference's

    def practice_what_worked(self, value):
        return self._practise(body=value or "x")

    def practice_to_consider(self, value):
        return self._practise(body="Good", to_consider=value)

    def usual_hours(self, value):
        _post(self.as_facilitator, f"{self.c}/manage/usual-hours", {"usual_hours": value})
        held = self._held("")
        return self.as_learner, [f"{self.c}/", "/need-help-now", f"{self.c}/posts/{held.id}",
                                 f"{self.c}/threads/{self.thread_id}"]

    def usual_hours_to_facilitators(self, value):
        _post(self.as_facilitator, f"{self.c}/manage/usual-hours", {"usual_hours": value})
        return self.as_facilitator, [f"{self.c}/manage/usual-hours", f"{self.c}/"]

    def held_post_body(self, value):
        held = self._held(value)
        return self.as_facilitator, [f"{self.c}/held/post/{held.id}", f"{self.c}/threads/{self.thread_id}"]

    def held_post_body_to_its_author(self, value):
        held = self._held(value)
        return self.as_learner, [f"{self.c}/threads/{self.thread_id}", f"{self.c}/posts/{held.id}"]

    def _held(self, value):
        """One reply the safety matcher holds, with `value` in it (written once, then edited: the page keeps the
        same number of held posts and forms whatever the value)."""
        from portal.discussions.models import Post, Thread
        text = f"I want to end my life tonight. {value}"
        if not hasattr(self, "_held_id"):
            self._held_id = discussions.reply(self.learner, self.db.session.get(Thread, self.thread_id), text,
                                              None, None, "held").id
        else:
            held = self.db.session.get(Post, self._held_id)
            discussions.edit_post(self.learner, held, text, None, discussions.version_of(held))
        return self.db.session.get(Post, self._held_id)

    def names_in_exercise_overview(self, value):
        from tests.exercises.factories import add_response
        if not hasattr(self, "overview_exercise"):
            self.overview_exercise = self._exercise()
            add_response(self.cohort, self.overview_exercise, self.learner, "Words")
        _post(self.as_learner, "/account", {"display_name": value, "pronouns": ""})
        return self.as_facilitator, [f"{self.c}/exercises/overview"]  # a row, and the shared response's link

    def exercise_title_in_overview(self, value):
        if not hasattr(self, "titled_exercise"):
            self.titled_exercise = self._exercise()
        # Titles come from content/, up to 200 characters; PostgreSQL can't store NUL in text (nor can YAML carry it).
        self.titled_exercise.title = value.replace("\x00", "")[:200] or "x"
        self.db.session.commit()
        return self.as_facilitator, [f"{self.c}/exercises/overview", f"{self.c}/exercises"]

    def search_query(self, value):
        return self.as_learner, [f"{self.c}/search?q={quote(value)}"]

    # ---- safeguarding record and check-ins (facilitators' pages, and the member's messages) ----

    def _concern(self, summary="A worry", details=""):
        from portal.dates import local_today
        from portal.safeguarding.models import Concern
        _post(self.as_facilitator, f"{self.c}/safeguarding/new", {
            "member": str(self.learner.id), "summary": summary, "details": details,
            "follow_up_on": local_today().isoformat(), "client_token": f"c{hash((summary, details))}"})
        concern = self.db.session.query(Concern).order_by(Concern.id.desc()).first()
        return concern.id

    def _concern_pages(self, concern_id):
        return [f"{self.c}/safeguarding", f"{self.c}/safeguarding/{concern_id}", f"{self.c}/manage/audit",
                f"{self.c}/safeguarding/{concern_id}/close"]

    def concern_summary(self, value):
        return self.as_facilitator, self._concern_pages(self._concern(summary=value[:200] if value.strip() else "x"))

    def concern_details(self, value):
        return self.as_facilitator, self._concern_pages(self._concern(details=value[:4000]))

    def concern_action_note(self, value):
        concern_id = self._concern()
        _post(self.as_facilitator, f"{self.c}/safeguarding/{concern_id}/actions",
              {"note": value[:4000] or "x", "client_token": f"a{hash(value)}"})
        return self.as_facilitator, self._concern_pages(concern_id)

    def concern_outcome(self, value):
        concern_id = self._concern()
        _post(self.as_facilitator, f"{self.c}/safeguarding/{concern_id}/close", {"outcome": value[:2000] or "x"})
        return self.as_facilitator, self._concern_pages(concern_id)

    def names_in_safeguarding(self, value):
        _post(self.as_learner, "/account", {"display_name": value, "pronouns": ""})
        concern_id = self._concern()
        return self.as_facilitator, [*self._concern_pages(concern_id), f"{self.c}/safeguarding/new",
                                     f"{self.c}/check-ins", f"{self.c}/check-ins/{self.learner.id}"]

    def check_in_to_the_member(self, value):
        _post(self.as_facilitator, f"{self.c}/check-ins/{self.learner.id}",
              {"body": value[:4000] or "x", "client_token": f"m{hash(value)}"})
        return self.as_learner, [f"{self.c}/messages", f"{self.c}/"]

    def check_in_reply(self, value):
        _post(self.as_learner, f"{self.c}/messages", {"body": value[:4000] or "x", "client_token": f"r{hash(value)}"})
        return self.as_facilitator, [f"{self.c}/check-ins/{self.learner.id}", f"{self.c}/check-ins"]

    def _open_flag(self, note=None):
        """One open flag in the queue, on a new post of the learner's (earlier flags dismissed)."""
        from sqlalchemy import update

        from portal.dates import utcnow
        from portal.moderation.flag_models import Flag

        self.db.session.execute(update(Flag).values(resolved_at=utcnow(), outcome="dismissed"))
        self.db.session.commit()
        self._flags = getattr(self, "_flags", 0) + 1
        post = discussions.start_thread(self.learner, self.cohort, None, "Flagged", f"Flagged {self._flags}", None,
                                        None)
        _post(self.as_facilitator, f"{self.c}/posts/{post.id}/flag", {"reason": "other", "note": note or "x"})
        return post

    def flag_note(self, value):
        self._open_flag(value)  # the queue shows it, and the earlier ones in the author's history
        return self.as_facilitator, [f"{self.c}/moderation", "/admin/moderation"]

    def hide_reason(self, value):
        _post(self.as_facilitator, f"{self.c}/moderation/posts/{self.post_id}", {"action": "hide",
                                                                                   "reason": value or "x"})
        return self.as_learner, [f"{self.c}/threads/{self.thread_id}"]  # the author reads the reason

    def mute_reason(self, value):
        post = self._open_flag()
        _post(self.as_facilitator, f"{self.c}/moderation/posts/{post.id}", {"action": "mute", "days": "2",
                                                                              "reason": value or "x"})
        self._open_flag()
        return self.as_facilitator, [f"{self.c}/moderation"]  # in the author's history

    # ---- the private journal (the author's pages, and the export) ----

    def _journal_entry(self, title=None, body="Words"):
        from portal.journal.services import write_entry
        # Written through the service, past the forms that drop NUL (PostgreSQL can't store it in text).
        title = title.replace("\x00", "") or None if title else title
        return write_entry(self.learner, self.cohort, None, title, body.replace("\x00", "") or "x", None)

    def _journal_pages(self, entry):
        j = f"{self.c}/journal"
        return [j, f"{j}/{entry.id}", f"{j}/{entry.id}/edit", f"{j}/{entry.id}/delete"]

    def journal_title(self, value):
        entry = self._journal_entry(title=value[:200] or None)
        return self.as_learner, self._journal_pages(entry)

    def journal_body(self, value):
        entry = self._journal_entry(body=value or "x")
        return self.as_learner, self._journal_pages(entry)

    def journal_title_typed(self, value):
        _post(self.as_learner, f"{self.c}/journal/new", {"title": value[:200], "body": "x", "session": ""})
        return self.as_learner, [f"{self.c}/journal"]

    def journal_shared_to_facilitators(self, value):
        from portal.journal.sharing import share_entry
        _post(self.as_learner, "/account", {"display_name": value, "pronouns": ""})
        entry = share_entry(self.learner, self.cohort, self._journal_entry(title=value[:200] or None,
                                                                           body=value or "x").id)
        j = f"{self.c}/journal/shared"
        return self.as_facilitator, [j, f"{j}/{entry.id}"]

    def journal_reply(self, value):
        from portal.journal.sharing import reply_to_entry, share_entry
        entry = share_entry(self.learner, self.cohort, self._journal_entry().id)
        reply_to_entry(self.facilitator, self.cohort, entry.id, value or "x")
        return self.as_learner, self._journal_pages(entry)  # (the export is a Markdown download, nosniff)

    def thread_title_in_journal_copy(self, value):
        self._copies = getattr(self, "_copies", 0) + 1
        discussions.start_thread(self.facilitator, self.cohort, None, value.replace("\x00", "")[:200].strip() or "x",
                                 f"Body {self._copies}", None, None)
        entry = self._journal_entry(title=value[:200] or None, body=value or "x")
        return self.as_learner, [f"{self.c}/journal/{entry.id}/copy"]


    def _submission(self, text="My essay", file_name=None):
        from portal.assignments.models import Submission

        self._version = getattr(self, "_version", 0) + 1
        row = Submission(cohort_id=self.cohort.id, assignment_slug="my-recovery-story", user_id=self.learner.id,
                         version=self._version, text=text.replace("\x00", ""),  # as the form leaves it
                         text_sha256="0" * 64, file_name=file_name,
                         file_key="ab/" + "0" * 30 + ".upload" if file_name else None,
                         file_type="pdf" if file_name else None, file_size=1 if file_name else None)
        self.db.session.add(row)
        self.db.session.commit()
        return row.id

    def submission_text(self, value):
        return self.as_learner, [f"{self.c}/submissions/{self._submission(value)}"]

    def submission_text_to_facilitators(self, value):
        sid = self._submission(value)
        return self.as_facilitator, [f"{self.c}/submissions/{sid}",
                                     f"{self.c}/manage/assignments/submissions/{sid}/mark"]

    def submission_file_name(self, value):
        from portal.assignments.files import clean_name

        sid = self._submission(file_name=clean_name(value, "pdf"))
        return self.as_facilitator, [f"{self.c}/submissions/{sid}", f"{self.c}/manage/assignments/my-recovery-story"]

    def assignment_feedback(self, value):
        sid = self._submission()
        _post(self.as_facilitator, f"{self.c}/manage/assignments/submissions/{sid}/mark",
              {"feedback": value, "outcome": "meets the criteria", "next_step": "release"})
        return self.as_learner, [f"{self.c}/submissions/{sid}"]

    def names_in_assignment_overview(self, value):
        _post(self.as_learner, "/account", {"display_name": value, "pronouns": ""})
        return self.as_facilitator, [f"{self.c}/manage/assignments/my-recovery-story"]

    # ---- session resources (a facilitator writes them; the cohort reads them) ----
    def _resource_pages(self, resource_id):
        """The confirmation naming it (the list grows a set of buttons per resource: the learner's is checked)."""
        return [f"{self.c}/resources/{resource_id}/withdraw"]

    def _resource(self, **fields):
        from portal.resources.models import Resource

        data = {"title": "A resource", "description": "", "url": "https://example.org/", **fields}
        _post(self.as_facilitator, f"{self.c}/sessions/1/resources/new", data)
        return self.db.session.query(Resource).order_by(Resource.id.desc()).first()

    def resource_title(self, value):
        row = self._resource(title=value[:120] or "x")
        return self.as_facilitator, self._resource_pages(row.id)

    def resource_title_to_learners(self, value):
        self._resource(title=value[:120] or "x")
        return self.as_learner, [f"{self.c}/sessions/1/resources"]

    def resource_description(self, value):
        self._resource(description=value[:300])
        return self.as_learner, [f"{self.c}/sessions/1/resources"]

    def resource_link(self, value):
        row = self._resource(url=value[:2000] or "https://example.org/") or self._resource()  # refused unless http(s)
        return self.as_facilitator, self._resource_pages(row.id)

    def resource_link_to_learners(self, value):
        self._resource(url=value[:2000] or "https://example.org/")
        return self.as_learner, [f"{self.c}/sessions/1/resources"]

    def resource_file_name_to_learners(self, value):
        from tests.resources.factories import add_file

        add_file(self.facilitator, self.cohort, title="Handout", name=value or "x.pdf")
        return self.as_learner, [f"{self.c}/sessions/1/resources"]

    def resource_file_name(self, value):
        from tests.resources.factories import add_file

        row = add_file(self.facilitator, self.cohort, title="Handout", name=value or "x.pdf")
        return self.as_facilitator, self._resource_pages(row.id)

    def course_resource_text(self, value):
        from types import SimpleNamespace

        from tests.resources.factories import course_resource

        self._n = getattr(self, "_n", 0) + 1
        row = course_resource(SimpleNamespace(id=self.cohort.course_id), 1, f"course-{self._n}",
                              title=value[:120].replace("\x00", "") or "x")
        row.description = value[:300].replace("\x00", "")
        self.db.session.commit()
        return self.as_learner, [f"{self.c}/sessions/1/resources"]

    def _evaluation(self, value):
        """A form answered by five people (rows written directly, as the service leaves them), shown to the
        facilitators once the threshold is met."""
        from portal.auth.models import User
        from portal.evaluation.models import EvaluationAnswer, EvaluationQuestion, EvaluationReceipt
        from tests.evaluation.factories import add_form

        self._forms = getattr(self, "_forms", 0) + 1
        form = add_form(sessions=(1,), slug=f"hostile-{self._forms}")
        if not hasattr(self, "_people"):
            self._people = []
            for n in range(5):
                person = User(email=f"evaluator{n}@example.org", display_name=f"E{n}", password_hash="x")
                self.db.session.add(person)
                self._people.append(person)
            self.db.session.commit()
        keep = self.db.session.scalars(self.db.select(EvaluationQuestion).filter_by(form_id=form.id, key="keep")).one()
        for person in self._people:
            self.db.session.add(EvaluationReceipt(cohort_id=self.cohort.id, form_id=form.id, session_number=1,
                                                  user_id=person.id))
            self.db.session.add(EvaluationAnswer(cohort_id=self.cohort.id, form_id=form.id, session_number=1,
                                                 question_id=keep.id, text=value.replace("\x00", "")))
        self.db.session.commit()
        return form

    def evaluation_text(self, value):
        form = self._evaluation(value)
        c = f"{self.c}/evaluation"
        return self.as_facilitator, [f"{c}/", f"{c}/sessions/1/forms/{form.id}/results"]

    def names_in_erasure_requests(self, value):
        from portal.privacy.models import ErasureRequest

        _post(self.as_learner, "/account", {"display_name": value, "pronouns": ""})
        _post(self.as_learner, "/my-data/erase", {})  # once; asking again is refused and changes nothing
        request = self.db.session.query(ErasureRequest).filter_by(user_id=self.learner.id).one()
        return self.as_admin, ["/admin/erasure-requests", f"/admin/erasure-requests/{request.id}"]

    def my_data_page(self, value):
        from portal.privacy.services import request_export

        _post(self.as_learner, "/account", {"display_name": value, "pronouns": ""})
        request_export(self.learner)
        return self.as_learner, ["/my-data", "/my-data/erase"]

    def names_in_dashboard(self, value):
        """A learner's name in the dashboard's drawing, its table, the agreement list and their progress page."""
        from portal.cohorts.models import Membership

        _post(self.as_learner, "/account", {"display_name": value, "pronouns": ""})
        place = self.db.session.query(Membership).filter_by(user_id=self.learner.id).one()
        place.created_at = place.created_at.replace(year=2000)  # joined long ago and quiet: the check-in prompt
        self.db.session.commit()
        return self.as_facilitator, [f"{self.c}/dashboard", f"{self.c}/progress/{self.learner.id}"]

    def cohort_name_in_dashboard(self, value):
        _post(self.as_admin, f"/admin/cohorts/{self.cohort.id}", {"name": value, "status": "running"})
        return self.as_facilitator, [f"{self.c}/dashboard", f"{self.c}/dashboard/attendance.csv"]

    def undelivered_mail(self, value):
        """An address, a subject and a mail server's error, shown on the site admins' undelivered mail page."""
        from portal.dates import utcnow
        from portal.mailqueue.models import QueuedMail, new_message_id

        text = value.replace("\x00", "") or "x"  # PostgreSQL can't store NUL in text
        self.db.session.execute(self.db.delete(QueuedMail))  # one row at a time: the same markup around it
        self.db.session.execute(self.db.insert(QueuedMail).values(
            message_id=new_message_id(), to=text[:254], subject=text[:300], body="B", attempts=10,
            last_error=text[:500], created_at=utcnow(), failed_at=utcnow()))
        self.db.session.commit()
        return self.as_admin, ["/admin/mail"]

    def _announce(self, title, body) -> int:
        """One announcement at a time (each adds a form to the home page), its notification read."""
        from portal.announcements.models import Announcement

        self.db.session.execute(self.db.delete(Announcement))
        self.db.session.commit()
        _post(self.as_facilitator, f"{self.c}/announcements/new",
              {"title": title, "body": body, "client_token": f"an{hash((title, body))}"})
        _post(self.as_learner, "/notifications/read", {})
        return self.db.session.query(Announcement).one().id

    def announcement_title(self, value):
        self._announce(value, "Room B this week")
        return self.as_learner, [f"{self.c}/", f"{self.c}/announcements", "/notifications"]

    def announcement_title_to_facilitators(self, value):
        row = self._announce(value, "Room B this week")
        return self.as_facilitator, [f"{self.c}/announcements", f"{self.c}/announcements/{row}/withdraw"]

    def announcement_body(self, value):
        self._announce("Room change", value)
        return self.as_learner, [f"{self.c}/", f"{self.c}/announcements"]

    def announcement_body_to_facilitators(self, value):
        row = self._announce("Room change", value)
        return self.as_facilitator, [f"{self.c}/announcements/{row}/withdraw"]


FIELDS = [name for name in vars(Fields) if not name.startswith("_")]


@pytest.mark.parametrize("field", FIELDS)
def test_no_payload_becomes_executable_anywhere_it_is_shown(app, db, cohort, learner, facilitator, site_admin,
                                                          timetable, field):
    from datetime import timedelta

    from portal.dates import utcnow
    timetable(cohort)[0].starts_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    fields = Fields(app, cohort, learner, facilitator, site_admin, db)
    write = getattr(fields, field)
    viewer, urls = write(HARMLESS)
    baseline = _markup(viewer, urls)
    failures = []
    for payload in PAYLOADS:
        viewer, urls = write(payload)
        found = _markup(viewer, urls)
        if found != baseline:
            failures.append((payload, found - baseline, baseline - found))
    assert failures == [], f"{len(failures)} of {len(PAYLOADS)} payloads changed the page's markup"


def test_no_payload_becomes_executable_on_the_page_that_keeps_words_after_a_lost_session(app, db, cohort, learner):
    """The page answering a form sent after its session ended shows what was typed, and so, later, does
    the composer it goes back to."""
    from portal.keep.rescue import _signer
    url = f"/cohorts/{cohort.id}/discussions/general/new"
    owner = _signer(app.secret_key).dumps(learner.id)  # as the form showed it before the session ended

    def kept(value: str) -> Counter:
        client = app.test_client()
        token = csrf_token(client, "/login")
        response = client.post(url, data={"title": value, "body": value, "keep_owner": owner, "csrf_token": token})
        assert response.status_code == 401
        found = Counter(executable_markup(response.get_data(as_text=True)))
        login(client, learner.email)
        return found + _markup(client, [url])

    baseline = kept(HARMLESS)
    failures = [p for p in PAYLOADS if p.strip() and kept(p) != baseline]
    assert failures == []


def test_ground_rules_never_become_markup_in_their_preview(app, db, cohort, facilitator):
    client = app.test_client()
    login(client, facilitator.email)

    def preview(text: str) -> Counter:
        response = client.post(f"/cohorts/{cohort.id}/manage/agreement", data={
            "ground_rules": text, "preview": "Preview changes", "csrf_token": csrf_token(client, "/account")})
        assert response.status_code < 500
        return Counter(executable_markup(response.get_data(as_text=True)))

    baseline = preview(HARMLESS)
    assert {p: found - baseline for p in PAYLOADS if (found := preview(p)) - baseline} == {}


def test_words_shown_back_in_the_composer_hints_never_become_markup(app, db, cohort, learner):
    """The hints quote the author's words (a phrase, a number, an address, a name): on the live endpoint,
    on the preview without JavaScript, and on the thread page after posting. Only the hints are compared:
    the rest of those pages holds the post itself, checked by the tests above."""
    client = app.test_client()
    login(client, learner.email)
    c = f"/cohorts/{cohort.id}"
    thread = discussions.start_thread(learner, cohort, None, "Thread", "Body", None, None).thread_id
    inset = re.compile(r'<div class="inset composer__hint" data-hint="\w+">.*?</div>', re.S)
    written = iter(range(10_000))

    def hints(html: str) -> Counter:
        found = inset.findall(html)
        return Counter(executable_markup("".join(found))) + Counter(len(found) * ["inset"])

    def shown(value: str) -> Counter:
        body = (f"{value} suffers from {value}, crazy{value} 07700 900123{value} {value}a@example.org{value} "
                f"14 Station Road{value} Rachel Green{value} SW1A 1AA {next(written)}")
        found = hints(_post(client, f"{c}/hints", {"body": body}).get_data(as_text=True))
        found += hints(_post(client, f"{c}/threads/{thread}", {"body": body, "action": "preview"}).get_data(
            as_text=True))
        if _post(client, f"{c}/threads/{thread}", {"body": body}).status_code == 302:
            found += hints(client.get(f"{c}/threads/{thread}").get_data(as_text=True))
        return found

    baseline = shown(HARMLESS)
    assert baseline["inset"] == 6
    assert {p: found - baseline for p in PAYLOADS if (found := shown(p)) - baseline} == {}


def test_names_in_a_csv_never_become_markup_in_the_preview(app, db, cohort, facilitator):
    import io

    client = app.test_client()
    login(client, facilitator.email)

    def preview(name: str) -> Counter | None:
        data = f'name,email\n"{name.replace(chr(34), chr(34) * 2)}",someone@example.org\n'.encode()
        response = client.post(f"/cohorts/{cohort.id}/invitations/csv", content_type="multipart/form-data",
                               data={"file": (io.BytesIO(data), "x.csv"), "csrf_token": csrf_token(client, "/account")})
        if response.status_code == 422:  # refused as a file (a NUL byte reads as binary): nothing shown
            return None
        return _markup(client, [response.headers["Location"]])

    baseline = preview(HARMLESS)
    # Only additions count: a row refused for its length drops our own "Invite" form from the page.
    added = {p: preview(p) for p in PAYLOADS}
    assert {p: found - baseline for p, found in added.items() if found is not None and found - baseline} == {}


def test_invitation_emails_cannot_be_given_extra_headers(app, db, cohort, facilitator, outbox):
    client = app.test_client()
    login(client, facilitator.email)
    client.post(f"/cohorts/{cohort.id}/invitations", data={
        "name": "Eve\r\nBcc: everyone@evil.example", "email": "eve@example.org",
        "csrf_token": csrf_token(client, "/account")})
    mail = outbox()[0]
    assert mail["To"] == "eve@example.org" and mail["Bcc"] is None
    assert "Hello EveBcc: everyone@evil.example" in mail.get_content()


def test_a_safety_word_list_never_becomes_markup_saved_or_refused(app, db, site_admin):
    """A refused list comes back in its textarea, and the bad line is quoted in the error (a saved list shows in
    the same textarea, from the same template)."""
    client = app.test_client()
    login(client, site_admin.email)

    def shown(value: str) -> Counter:
        response = _post(client, "/admin/safety-words", {"phrases": "want to die\n{{" + value})  # always refused
        assert response.status_code == 422
        return Counter(executable_markup(response.get_data(as_text=True)))

    baseline = shown(HARMLESS)
    assert {p: found - baseline for p in PAYLOADS if (found := shown(p)) - baseline} == {}
