"""At 390 px (a phone) table headings are hidden, so every number carries its label."""
from __future__ import annotations

from tests.attendance.conftest import membership_of
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD


def test_attendance_totals_are_labelled_on_a_phone(page, db, facilitator, learner, cohort, timetable):
    from portal.attendance import services

    services.record_attendance(facilitator, cohort, timetable(cohort)[0],
                               {membership_of(db, learner, cohort).id: "present"})
    page.set_viewport_size({"width": 390, "height": 800})
    sign_in(page, facilitator.email, PASSWORD)
    page.goto(f"/cohorts/{cohort.id}/attendance")
    shown = page.evaluate("""() => [...document.querySelectorAll('table tbody tr')].slice(0, 1).flatMap(row =>
        [...row.querySelectorAll('td')].map(td => getComputedStyle(td, '::before').content + td.innerText))""")
    assert shown[1:5] == ['"Present: "1', '"Sent apologies: "0', '"Absent: "0', '"Not recorded: "0']
