"""Two more forms that hold writing keep it across a lost session, like the ground rules and composers:
a facilitator adding a resource (title, description, link) and a site admin's reason for opening a cohort."""
from __future__ import annotations

import html as html_lib
import re

from markupsafe import escape

from tests.conftest import csrf_token, login


def _fields_then_sign_out(client, url):
    """The form as shown to its author, then the session ends in another tab."""
    page = client.get(url).get_data(as_text=True)
    owner = html_lib.unescape(re.search(r'name="keep_owner" value="([^"]+)"', page).group(1))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    return owner, token


def test_a_resource_typed_as_the_session_ends_comes_back_after_signing_in(app, client, db, opened, facilitator):
    url = f"/cohorts/{opened.id}/sessions/1/resources/new"
    title, description = "Sleep & worry <notes>", "What helped me when nights were long."
    login(client, facilitator.email)
    owner, token = _fields_then_sign_out(client, url)

    response = client.post(url, data={"title": title, "description": description, "url": "https://example.org/x",
                                      "client_token": "abc", "keep_owner": owner, "csrf_token": token},
                           content_type="multipart/form-data")
    assert response.status_code == 401
    assert str(escape(title)) in response.get_data(as_text=True)
    login(client, facilitator.email)
    page = client.get(url).get_data(as_text=True)
    assert str(escape(title)) in page and str(escape(description)) in page and "https://example.org/x" in page


def test_a_reason_for_opening_a_cohort_typed_as_the_session_ends_comes_back(app, client, db, cohort, site_admin):
    url = f"/admin/cohorts/{cohort.id}/open"
    reason = "A learner's family phoned & asked us to check the last posts"
    login(client, site_admin.email)
    owner, token = _fields_then_sign_out(client, url)

    response = client.post(url, data={"reason": reason, "minutes": "20", "next": "", "keep_owner": owner,
                                      "csrf_token": token})
    assert response.status_code == 401
    assert str(escape(reason)) in response.get_data(as_text=True)
    login(client, site_admin.email)
    page = client.get(url).get_data(as_text=True)
    assert str(escape(reason)) in page and 'value="20"' in page


def test_the_course_evaluation_is_never_kept(app):
    """Anonymous on purpose: nothing of it is stored against a person, not even for a while."""
    from portal.keep.rescue import _ATTR
    assert getattr(app.view_functions["evaluation.answer"], _ATTR, None) is None
