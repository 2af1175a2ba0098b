"""The whole way in: an admin creates a cohort, its facilitator invites by CSV, a learner accepts and agrees."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD


def test_create_invite_by_csv_accept_and_agree(page, browser, live_server, site_admin, facilitator, course, outbox,
                                               tmp_path, axe):
    sign_in(page, site_admin.email, PASSWORD)
    page.goto("/admin/cohorts/new")
    page.get_by_label("Cohort name").fill("Summer 2027")
    page.get_by_label("Status").select_option("running")
    page.get_by_role("button", name="Create cohort").click()
    page.get_by_label("Facilitator's email address").fill(facilitator.email)
    page.get_by_role("button", name="Add facilitator").click()
    expect(page.get_by_text("now facilitates Summer 2027")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, facilitator.email, PASSWORD)
    page.get_by_role("link", name="Summer 2027").click()
    page.get_by_label("I have read this agreement and I will keep to it").check()  # facilitators agree too
    page.get_by_role("button", name="I agree").click()
    page.get_by_role("link", name="Invitations").click()
    page.get_by_role("link", name="upload a list (CSV)").click()
    csv = tmp_path / "cohort.csv"
    csv.write_text("Name,Email\nRowan Reed,rowan@example.org\nBroken,not-an-email\n")
    page.get_by_label("CSV file").set_input_files(str(csv))
    page.get_by_role("button", name="Check the list").click()
    expect(page.get_by_text("not in the right format")).to_be_visible()
    assert axe(page) == []
    page.get_by_role("button", name="Invite 1 person").click()
    expect(page.get_by_text("1 invitation sent")).to_be_visible()

    link = re.search(r"https?://[^/\s]+(/invitations/\S+)", outbox()[0].get_content()).group(1)
    learner_context = browser.new_context(base_url=live_server)
    learner = learner_context.new_page()
    learner.goto(link)
    learner.get_by_label("Your name, as others in your cohort will see it").fill("Rowan")
    learner.get_by_label("Choose a password").fill("a quiet morning walk")
    learner.get_by_label("Confirm password").fill("a quiet morning walk")
    learner.get_by_role("button", name="Create account and join").click()
    learner.wait_for_url("**/agreement*")
    expect(learner.get_by_role("heading", name="Our confidentiality agreement")).to_be_visible()
    learner.get_by_label("I have read this agreement and I will keep to it").check()
    learner.get_by_role("button", name="I agree").click()
    learner.wait_for_url(re.compile(r".*/cohorts/\d+/$"))
    expect(learner.get_by_role("heading", name="Summer 2027", level=1)).to_be_visible()
    learner_context.close()
