"""Who sees a submission and its file; due dates, extensions, marking, moderation and release."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.assignments.models import Marking, Submission
from portal.audit.models import AuditEvent
from portal.dates import utcnow
from tests.assignments.factories import pdf_bytes
from tests.conftest import csrf_token


def handed_in(app, client, auth, learner, cohort, text="My essay."):
    auth.login(learner)
    url = f"/cohorts/{cohort.id}/assignments/my-recovery-story"
    client.post(url, data={"csrf_token": csrf_token(client, url), "text": text, "submit": "1",
                           "upload": (io.BytesIO(pdf_bytes()), "essay.pdf")}, content_type="multipart/form-data")
    auth.logout()
    from portal.extensions import db

    return db.session.scalars(select(Submission).order_by(Submission.id.desc())).first()


def as_facilitator(auth, person):
    auth.login(person)


@pytest.fixture
def submission(app, client, auth, learner, opened):
    return handed_in(app, client, auth, learner, opened)


def test_the_file_is_a_download_for_its_author(client, auth, learner, submission, opened):
    auth.login(learner)
    response = client.get(f"/cohorts/{opened.id}/submissions/{submission.id}/file")
    assert response.status_code == 200 and response.data == pdf_bytes()
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.mimetype == "application/pdf"


def test_another_learner_gets_404_for_the_file_and_the_receipt(client, auth, make_user, enrol, submission, opened):
    peer = make_user()
    enrol(peer, opened)
    auth.login(peer)
    assert client.get(f"/cohorts/{opened.id}/submissions/{submission.id}/file").status_code == 404
    assert client.get(f"/cohorts/{opened.id}/submissions/{submission.id}").status_code == 404


def test_outsiders_and_other_cohorts_get_404(client, auth, submission, opened, other_cohort, outsider, loner):
    for person in (outsider, loner):
        auth.login(person)
        assert client.get(f"/cohorts/{opened.id}/submissions/{submission.id}/file").status_code == 404
        assert client.get(f"/cohorts/{other_cohort.id}/submissions/{submission.id}/file").status_code == 404
        auth.logout()


def test_a_forged_submission_id_is_404(client, auth, learner, submission, opened):
    auth.login(learner)
    for forged in (submission.id + 1000, 0, "abc", "99999999999999999999"):
        assert client.get(f"/cohorts/{opened.id}/submissions/{forged}/file").status_code == 404


def _login_facilitator(client, person):
    from tests.conftest import login

    assert login(client, person.email).status_code == 302


def test_the_facilitator_downloads_marks_and_releases(app, client, auth, facilitator, learner, submission, opened,
                                                       outbox, db):
    _login_facilitator(client, facilitator)
    assert client.get(f"/cohorts/{opened.id}/submissions/{submission.id}/file").status_code == 200
    overview = client.get(f"/cohorts/{opened.id}/manage/assignments/my-recovery-story")
    assert overview.status_code == 200 and learner.display_name in overview.get_data(as_text=True)
    url = f"/cohorts/{opened.id}/manage/assignments/submissions/{submission.id}/mark"
    forged = client.post(url, data={"csrf_token": csrf_token(client, url), "feedback": "Warm words.",
                                    "outcome": "top marks", "next_step": "release"})
    assert forged.status_code == 422
    response = client.post(url, data={"csrf_token": csrf_token(client, url), "feedback": "Warm and clear.",
                                      "outcome": "meets the criteria", "next_step": "release"})
    assert response.status_code == 302
    row = db.session.scalars(select(Marking)).one()
    assert row.state == "released" and row.outcome == "meets the criteria"
    [mail] = [m for m in outbox() if m["To"] == learner.email and "Feedback" in m["Subject"]]
    assert "Warm and clear" not in mail.get_content() and f"/submissions/{submission.id}" in mail.get_content()
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"assignment marked", "assignment feedback released"} <= actions
    auth.logout()
    auth.login(learner)
    page = client.get(f"/cohorts/{opened.id}/submissions/{submission.id}").get_data(as_text=True)
    assert "Warm and clear." in page and "meets the criteria" in page


def test_a_second_facilitator_moderates_before_release(client, auth, facilitator, make_user, enrol, learner,
                                                        submission, opened, db):
    colleague = make_user(name="Second Facilitator", two_factor=True)
    enrol(colleague, opened, role="facilitator")
    _login_facilitator(client, facilitator)
    url = f"/cohorts/{opened.id}/manage/assignments/submissions/{submission.id}/mark"
    client.post(url, data={"csrf_token": csrf_token(client, url), "feedback": "Nearly there.",
                           "outcome": "meets the criteria", "next_step": "moderate"})
    assert db.session.scalars(select(Marking)).one().state == "awaiting moderation"
    auth.logout()
    auth.login(learner)
    page = client.get(f"/cohorts/{opened.id}/submissions/{submission.id}").get_data(as_text=True)
    assert "Nearly there." not in page
    auth.logout()
    mod = f"/cohorts/{opened.id}/manage/assignments/submissions/{submission.id}/moderate"
    _login_facilitator(client, facilitator)
    assert client.post(mod, data={"csrf_token": csrf_token(client, url),
                                  "outcome": "not yet: please resubmit"}).status_code == 409
    auth.logout()
    _login_facilitator(client, colleague)
    assert client.post(mod, data={"csrf_token": csrf_token(client, url),
                                  "outcome": "not yet: please resubmit"}).status_code == 302
    db.session.expire_all()
    row = db.session.scalars(select(Marking)).one()
    assert row.state == "released" and row.outcome == "not yet: please resubmit"


def test_due_dates_and_extensions_are_set_and_audited(client, facilitator, learner, opened, db):
    from portal.assignments.services import due_at

    _login_facilitator(client, facilitator)
    base = f"/cohorts/{opened.id}/manage/assignments/my-recovery-story"
    token = csrf_token(client, base)
    assert client.post(base + "/due", data={"csrf_token": token, "due_at": "2027-01-10T17:00"}).status_code == 302
    assert client.post(base + "/extensions", data={"csrf_token": token, "learner_id": learner.id,
                                                   "due_at": "2027-01-20T17:00"}).status_code == 302
    assert client.post(base + "/extensions", data={"csrf_token": token, "learner_id": 99999,
                                                   "due_at": "2027-01-20T17:00"}).status_code == 422
    assert client.post(base + "/due", data={"csrf_token": token, "due_at": "not a date"}).status_code == 422
    assert due_at(opened.id, "my-recovery-story", learner.id) > due_at(opened.id, "my-recovery-story")
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"assignment due date set", "assignment extension given"} <= actions


def test_the_submissions_list_takes_a_fixed_number_of_queries(app, client, make_user, enrol, facilitator, opened, db,
                                                               count_queries):
    from portal.assignments.models import AssignmentExtension

    def add_learners(n):
        for _ in range(n):
            person = make_user()
            enrol(person, opened)
            for version in (1, 2):  # the second version late, with a file
                db.session.add(Submission(cohort_id=opened.id, assignment_slug="my-recovery-story",
                                          user_id=person.id, version=version, text="x", text_sha256="0" * 64,
                                          is_late=version == 2, **({"file_key": "k", "file_name": "essay.pdf",
                                          "file_type": "pdf", "file_size": 1000, "file_sha256": "0" * 64}
                                                                  if version == 2 else {})))
            db.session.add(AssignmentExtension(cohort_id=opened.id, assignment_slug="my-recovery-story",
                                               user_id=person.id, due_at=utcnow() + timedelta(days=1)))
        db.session.commit()

    _login_facilitator(client, facilitator)
    url = f"/cohorts/{opened.id}/manage/assignments/my-recovery-story"
    counts = []
    for n in (3, 30):
        add_learners(n)
        with count_queries() as queries:
            response = client.get(url)
            assert response.status_code == 200
        counts.append(queries())
    assert counts[0] == counts[1] <= 5, counts  # 3 learners, then 33: the bench's list of 30 (issue 14): one query for all rows
    last = db.session.scalars(select(Submission).order_by(Submission.id.desc())).first()
    body = response.get_data(as_text=True)
    for link in (f"/submissions/{last.id}", f"/submissions/{last.id}/file", f"/submissions/{last.id}/mark"):
        assert f'href="/cohorts/{opened.id}{link}"' in body or f'/manage/assignments{link}"' in body, link


def test_a_site_admin_outside_the_cohort_does_not_see_the_work(client, auth, site_admin, submission, opened):
    """Files and texts are for their author and the cohort's facilitators only (issue 14)."""
    from portal.cohorts.openings import open_cohort

    auth.login(site_admin)
    for path in (f"submissions/{submission.id}/file", f"submissions/{submission.id}",
                 f"manage/assignments/submissions/{submission.id}/mark"):  # not opened: offered an opening
        assert client.get(f"/cohorts/{opened.id}/{path}").status_code == 403
    open_cohort(site_admin, opened.id, "Checking the work pages", 30)  # opened: still not learners' work
    assert client.get(f"/cohorts/{opened.id}/submissions/{submission.id}/file").status_code == 404
    assert client.get(f"/cohorts/{opened.id}/submissions/{submission.id}").status_code == 404
    assert client.get(f"/cohorts/{opened.id}/manage/assignments/submissions/{submission.id}/mark").status_code == 404


def test_the_submissions_list_shows_each_learners_latest_version_status_and_marking(
        client, make_user, enrol, facilitator, opened, db):
    """One row per current learner: the latest of several versions, late or not, an extension, the marking."""
    from portal.assignments.models import AssignmentDue, AssignmentExtension

    slug, now = "my-recovery-story", utcnow()
    late, early, waiting, gone = (make_user(name=n) for n in ("Ada Late", "Bo Early", "Cy Waiting", "Di Gone"))
    for person in (late, early, waiting, gone):
        enrol(person, opened)
    db.session.add(AssignmentDue(cohort_id=opened.id, assignment_slug=slug, due_at=now - timedelta(days=1)))
    subs = [Submission(cohort_id=opened.id, assignment_slug=slug, user_id=who.id, version=v, text="x",
                       text_sha256="0" * 64, is_late=late_flag)
            for who, v, late_flag in ((late, 1, False), (late, 2, True), (early, 1, False), (gone, 1, False))]
    db.session.add_all(subs)
    db.session.add(AssignmentExtension(cohort_id=opened.id, assignment_slug=slug, user_id=waiting.id,
                                       due_at=now + timedelta(days=3)))
    db.session.flush()
    db.session.add(Marking(submission_id=subs[2].id, outcome="Pass", state="released", feedback="Good"))
    db.session.add(Marking(submission_id=subs[0].id, outcome="Pass", state="draft", feedback="old version"))
    from portal.cohorts.models import Membership
    db.session.scalars(select(Membership).filter_by(user_id=gone.id, cohort_id=opened.id)).one().status = "left"
    db.session.commit()

    _login_facilitator(client, facilitator)
    body = client.get(f"/cohorts/{opened.id}/manage/assignments/{slug}").get_data(as_text=True)
    rows = {name: body.split(f">{name}</th>", 1)[1].split("</tr>", 1)[0]
            for name in ("Ada Late", "Bo Early", "Cy Waiting")}
    assert "late" in rows["Ada Late"] and "Version 2" in rows["Ada Late"]
    assert f"/submissions/{subs[1].id}/mark" in rows["Ada Late"] and "Give feedback" in rows["Ada Late"]
    assert "submitted" in rows["Bo Early"] and "released: Pass" in rows["Bo Early"]
    assert "not due yet" in rows["Cy Waiting"] and "extended to" in rows["Cy Waiting"]
    assert "None yet" in rows["Cy Waiting"]
    assert "Di Gone" not in body  # left the cohort: not in the list, nor in the extension choices
    assert 'name="learner_id"' in body and f'<option value="{early.id}">Bo Early</option>' in body
