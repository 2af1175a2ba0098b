"""Every table stays readable on a phone: on narrow screens the column headings are hidden and each cell
shows its own label (data-label, drawn by the stylesheet), so "5 / 0 / 0 / 0" never stands alone."""
from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

from portal.attendance import services as attendance
from portal.audit.services import record
from portal.enrolment.services import invite_person
from tests.attendance.conftest import membership_of
from tests.conftest import REPO, csrf_token, login

TEMPLATES = REPO / "portal" / "templates"


class _Tables(HTMLParser):
    """Each table's column headings and, for every body cell, its column heading and data-label."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self._in_head = self._in_heading = self._hidden = False
        self._hidden_depth = 0
        self._column = 0
        self._in_cell = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append({"headings": [], "cells": []})
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr":
            self._column = 0
        elif tag == "th" and self._in_head:
            self._in_heading = True
            self.tables[-1]["headings"].append("")
        elif tag in ("td", "th") and self.tables and not self._in_head:
            headings = self.tables[-1]["headings"]
            heading = headings[self._column] if self._column < len(headings) else None
            if tag == "td":
                self.tables[-1]["cells"].append([heading, attrs.get("data-label"), ""])
                self._in_cell = True
            self._column += 1
        if self._in_heading and "visually-hidden" in (attrs.get("class") or ""):
            self._hidden_depth += 1

    def handle_endtag(self, tag):
        if tag == "thead":
            self._in_head = False
        elif tag == "th":
            self._in_heading = False
        elif tag == "td":
            self._in_cell = False
        elif tag == "span" and self._hidden_depth:
            self._hidden_depth -= 1

    def handle_data(self, data):
        if self._in_cell:
            self.tables[-1]["cells"][-1][2] += data.strip()
        if self._in_heading and not self._hidden_depth:
            self.tables[-1]["headings"][-1] += data.strip()


def unlabelled_cells(html: str) -> list[tuple[str | None, str | None]]:
    finder = _Tables()
    finder.feed(html)
    # an empty cell needs no label (a "Change" column with nothing to change for this row)
    return [(heading, label) for table in finder.tables for heading, label, text in table["cells"]
            if heading and text and label != heading]


def test_the_checker_finds_a_bare_number():
    bare = ('<table class="table"><thead><tr><th scope="col">Name</th><th scope="col">Present</th></tr></thead>'
            '<tbody><tr><th scope="row">Lee</th><td>5</td></tr></tbody></table>')
    assert unlabelled_cells(bare) == [("Present", None)]
    assert unlabelled_cells(bare.replace("<td>", '<td data-label="Present">')) == []


def test_every_table_on_every_page_labels_its_cells(app, db, cohort, facilitator, learner, site_admin, timetable):
    attendance.record_attendance(facilitator, cohort, timetable(cohort)[0],
                                 {membership_of(db, learner, cohort).id: "present"})
    with app.test_request_context():
        invite_person(facilitator, cohort, "invited@example.org", "Ivy Invited", "learner")
    record(site_admin, "account.deactivated", subject=learner, cohort=cohort, detail="A reason")
    db.session.commit()
    from portal.safeguarding.concerns import open_concern
    open_concern(facilitator, cohort, learner.id, "A worry", None, None, None, None)
    from portal.moderation.models import ModerationAlert
    db.session.add(ModerationAlert(cohort_id=cohort.id, reason="safety_words", subject_kind="post", subject_id=1))
    db.session.commit()  # the site admin's moderation page counts it in "Waiting in other cohorts"
    as_facilitator, as_learner, as_admin = app.test_client(), app.test_client(), app.test_client()
    for client, user in ((as_facilitator, facilitator), (as_learner, learner), (as_admin, site_admin)):
        login(client, user.email)
    c = f"/cohorts/{cohort.id}"
    csv = io.BytesIO(b"name,email\nNew Person,new@example.org\nNo Email,\n")
    preview = as_facilitator.post(f"{c}/invitations/csv", content_type="multipart/form-data", data={
        "file": (csv, "people.csv"), "csrf_token": csrf_token(as_facilitator, "/account")}).headers["Location"]
    pages = [(as_facilitator, f"{c}/attendance"), (as_learner, f"{c}/my-attendance"), (as_admin, "/admin/cohorts"),
             (as_facilitator, f"{c}/manage/agreement"), (as_facilitator, f"{c}/members"),
             (as_learner, f"{c}/members"), (as_facilitator, preview), (as_facilitator, f"{c}/invitations"),
             (as_admin, "/admin/people"), (as_admin, "/admin/audit"), (as_admin, "/admin/moderation"),
             (as_facilitator, f"{c}/exercises/{_allocated_exercise(db, cohort, learner).id}"),
             (as_facilitator, f"{c}/safeguarding"), (as_facilitator, f"{c}/check-ins"),
             (as_facilitator, f"{c}/manage/audit"), (as_facilitator, f"{c}/exercises/overview"),
             (as_facilitator, f"{c}/manage/assignments/my-recovery-story"), (as_facilitator, f"{c}/dashboard"),
             (as_learner, f"{c}/my-progress")]
    for client, path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.get_data(as_text=True)
        assert 'class="table"' in body, path
        assert unlabelled_cells(body) == [], path
    # every template with a table is among the pages above
    with_tables = {p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html") if "<table" in p.read_text()}
    assert with_tables == {"attendance/overview.html", "attendance/mine.html", "admin/cohorts.html",
                           "agreements/manage.html", "cohorts/members.html", "enrolment/csv_preview.html",
                           "enrolment/invitations.html", "admin/people.html", "admin/audit.html",
                           "exercises/show.html", "safeguarding/list.html", "safeguarding/checkins.html",
                           "audit/cohort.html", "exercises/overview.html", "assignments/overview.html",
                           "dashboard/show.html", "dashboard/progress.html",
                           "moderation/queue.html",
                           # checked by the test below
                           "evaluation/index.html", "evaluation/results.html", "evaluation/compare.html",
                           "privacy/index.html", "privacy/admin_requests.html", "admin/mail.html"}


def _allocated_exercise(db, cohort, learner):
    """An exercise in allocated mode with one pair: its page lists who gives feedback to whom."""
    from portal.auth.models import User
    from portal.cohorts.models import Membership
    from portal.exercises.feedback_models import ReviewAllocation
    from tests.exercises.factories import add_exercise, add_response

    exercise = add_exercise(cohort.course_id, 1, mode="allocated", slug="tables-allocated")
    peer = User(email="tables-peer@example.org", display_name="Tia Peer", password_hash="x")
    db.session.add(peer)
    db.session.flush()
    db.session.add(Membership(cohort_id=cohort.id, user_id=peer.id, role="learner"))
    mine, theirs = add_response(cohort, exercise, learner), add_response(cohort, exercise, peer)
    db.session.add(ReviewAllocation(cohort_id=cohort.id, exercise_id=exercise.id, response_id=mine.id,
                                    reviewer_id=peer.id, author_id=learner.id))
    db.session.commit()
    assert theirs.id
    return exercise


def test_the_stylesheet_shows_the_labels_on_narrow_screens():
    css = Path(REPO / "portal" / "static" / "css" / "portal.css").read_text()
    narrow = css[css.index(".table thead { position: absolute"):]
    assert re.search(r"\.table td\[data-label\]::before\s*\{[^}]*content:\s*attr\(data-label\)", narrow)


def test_the_newer_pages_label_their_cells_too(app, db, cohort, facilitator, learner, loner, site_admin, timetable,
                                               make_user, enrol):
    """Evaluation results and comparison, "my data", erasure requests and undelivered mail (issues 15-17)."""
    from datetime import timedelta

    from portal.dates import utcnow
    from portal.evaluation import services as evaluation
    from portal.mailqueue.models import QueuedMail
    from portal.privacy.erasure import request_erasure
    from portal.privacy.services import request_export
    from tests.evaluation.factories import add_form

    timetable(cohort)[0].starts_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    form = add_form(sessions=(1,))
    for n in range(5):
        person = make_user(f"answers{n}@example.org")
        membership = enrol(person, cohort)
        page = evaluation.load_form(cohort, form.id, 1, person.id)
        evaluation.submit_evaluation(membership, cohort, page, {"useful": 2, "pace": 1, "keep": f"Kept {n}"})
    request_export(learner)
    request_erasure(loner)
    db.session.add(QueuedMail(to="x@example.org", subject="Hello", body="b", attempts=10, failed_at=utcnow(),
                              last_error="550 no such mailbox"))
    db.session.commit()
    as_facilitator, as_learner, as_admin = app.test_client(), app.test_client(), app.test_client()
    for client, user in ((as_facilitator, facilitator), (as_learner, learner), (as_admin, site_admin)):
        login(client, user.email)
    c = f"/cohorts/{cohort.id}"
    pages = [(as_facilitator, f"{c}/evaluation/"),
             (as_facilitator, f"{c}/evaluation/sessions/1/forms/{form.id}/results"),
             (as_admin, f"/admin/evaluation/?form={form.id}&session=1"), (as_learner, "/my-data"),
             (as_admin, "/admin/erasure-requests"), (as_admin, "/admin/mail")]
    for client, path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.get_data(as_text=True)
        assert 'class="table"' in body, path
        assert unlabelled_cells(body) == [], path
