"""The facilitators' CSV downloads: attendance, participation and assignment status, as rows of plain values.

`portal/spreadsheet.py` makes every cell safe to open (formula-neutralised, UTF-8 with a BOM)."""
from __future__ import annotations

from sqlalchemy import select

from portal.assignments.content import all_assignments
from portal.assignments.queries import cohort_rows
from portal.attendance.models import Attendance
from portal.cohorts.models import CohortSession, Membership
from portal.cohorts.timetable import load_timetable
from portal.dashboard.activity import load_activity
from portal.dashboard.members import cohort_members
from portal.dates import human_date
from portal.extensions import db

STATUS_WORDS = {"present": "present", "apologies": "sent apologies", "absent": "absent", None: "not recorded"}


def attendance_rows(cohort_id: int) -> tuple[list[str], list[list]]:
    slots = load_timetable(cohort_id)
    members, _ = cohort_members(cohort_id)
    marks = {(uid, sid): status for uid, sid, status in db.session.execute(
        select(Membership.user_id, CohortSession.course_session_id, Attendance.status)
        .join(Membership, Membership.id == Attendance.membership_id)
        .join(CohortSession, CohortSession.id == Attendance.cohort_session_id)
        .where(CohortSession.cohort_id == cohort_id))}
    header = ["Learner", *(f"Session {s.number}" for s in slots), "Sessions attended"]
    rows = []
    for m in members:
        statuses = [marks.get((m.user_id, s.session.id)) for s in slots]
        rows.append([m.name, *(STATUS_WORDS.get(x, x) for x in statuses),
                     sum(1 for x in statuses if x == "present")])
    return header, rows


def participation_rows(cohort_id: int) -> tuple[list[str], list[list]]:
    slots = load_timetable(cohort_id)
    members, _ = cohort_members(cohort_id)
    activity = load_activity(cohort_id)
    header = ["Learner"]
    for s in slots:
        header += [f"Session {s.number} posts", f"Session {s.number} responses", f"Session {s.number} feedback given"]
    header += ["General posts", "Total posts", "Total responses", "Total feedback given"]
    rows = []
    for m in members:
        row = [m.name]
        for s in slots:
            c = activity.cell(m.user_id, s.session.id)
            row += [c.posted, c.responded, c.feedback]
        totals = activity.totals(m.user_id)
        row += [activity.cell(m.user_id, None).posted, totals.posted, totals.responded, totals.feedback]
        rows.append(row)
    return header, rows


def assignment_rows(cohort_id: int) -> tuple[list[str], list[list]]:
    header = ["Learner", "Assignment", "Status", "Versions handed in", "Last handed in", "Extended to",
              "Outcome", "Outcome released"]
    rows = []
    for item in all_assignments():
        _due, found = cohort_rows(cohort_id, item.slug)
        for r in found:
            marking = r.marking
            rows.append([r.learner.display_name, item.title, r.status, r.versions,
                         human_date(r.latest.submitted_at) if r.latest else "",
                         human_date(r.extended_to) if r.extended_to else "",
                         marking.outcome if marking else "", bool(marking and marking.state == "released")])
    return header, rows
