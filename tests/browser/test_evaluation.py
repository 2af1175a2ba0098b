"""Course evaluation in a real browser: the learner reads the promise and answers; the facilitator reads the
results chart and table; axe on both pages, light and dark, and the chart in forced colours and print."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.dates import local_today
from portal.evaluation.models import EvaluationReceipt
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.evaluation.factories import add_form, answer


def test_a_learner_answers_and_a_facilitator_reads_the_results(page, axe, db, cohort, course, learner, facilitator,
                                                              site_admin, make_user, enrol, timetable, browser,
                                                              live_server):
    timetable(cohort)[0].day = local_today() - timedelta(days=1)
    db.session.commit()
    form = add_form(sessions=(1,))
    others = []
    for n in range(4):
        others.append(make_user(f"browser-eval{n}@example.org"))
        enrol(others[-1], cohort)
        answer(cohort, form, others[-1], useful=n % 4, pace=1, keep=f"Kept thought {n}")
    base = f"/cohorts/{cohort.id}/evaluation"
    sign_in(page, learner.email, PASSWORD)
    page.goto(f"{base}/")
    assert page.get_by_role("heading", name="What we promise about your answers").is_visible()
    assert axe(page) == []
    page.get_by_role("link", name="Session 1: How was this session?").click()
    page.wait_for_url(f"**/sessions/1/forms/{form.id}")
    assert page.get_by_text("saved without your name or your account").is_visible()
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert axe(page) == [], scheme
    page.get_by_role("group", name="How useful was it? (optional)").get_by_label("Very useful").check()
    page.get_by_label("One thing to keep (optional)").fill("The small groups")
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_url(f"**{base}/")
    assert page.get_by_text("Your answers are in").is_visible()
    db.session.expire_all()
    assert db.session.scalars(select(EvaluationReceipt).filter_by(user_id=learner.id)).one()

    context = browser.new_context(base_url=live_server, viewport={"width": 1024, "height": 800})
    context.set_default_timeout(10_000)
    other = context.new_page()
    sign_in(other, facilitator.email, PASSWORD)
    other.goto(f"{base}/sessions/1/forms/{form.id}/results")
    chart = other.get_by_role("img", name="How useful was it?: Not useful, 1 person")
    assert chart.is_visible()
    assert other.get_by_role("table", name="How useful was it?: the same numbers as the chart").is_visible()
    assert other.get_by_text("The small groups").is_visible()
    for scheme in ("light", "dark"):
        other.emulate_media(color_scheme=scheme)
        assert axe(other) == [], scheme
    bar = other.locator("svg.chart rect.chart__bar").first
    other.emulate_media(forced_colors="active")
    assert bar.evaluate("e => getComputedStyle(e).fill") != "none"
    other.emulate_media(forced_colors="none", media="print")
    assert bar.evaluate("e => getComputedStyle(e).fill") == "rgb(0, 0, 0)" and chart.is_visible()
    context.close()

    admin_context = browser.new_context(base_url=live_server, viewport={"width": 1024, "height": 800})
    admin = admin_context.new_page()
    sign_in(admin, site_admin.email, PASSWORD)
    admin.goto(f"/admin/evaluation/?form={form.id}&session=1")
    assert admin.get_by_role("img", name="How useful was it? (all cohorts shown)").is_visible()
    assert axe(admin) == []
    admin_context.close()
