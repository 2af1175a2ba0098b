"""Invitations by email, CSV enrolment with a preview, shared invite links, and accepting them."""
from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.cohorts.models import Membership
from portal.dates import utcnow
from portal.enrolment.models import CsvImport, Invitation, InviteLink
from tests.conftest import csrf_token, login, post
from tests.enrolment.conftest import NEW_PASSWORD, c, invitation_path as _link, new_account, upload as _upload


def _memberships(db, cohort):
    return db.session.scalar(select(func.count()).select_from(Membership).where(Membership.cohort_id == cohort.id))


@pytest.mark.parametrize("path,method", [
    ("invitations", "GET"), ("invitations", "POST"), ("invitations/csv", "GET"), ("invitations/csv", "POST"),
    ("invite-links", "GET"), ("invite-links", "POST"),
])
def test_enrolment_pages_are_invisible_outside_the_cohort(cohort, facilitator, learner, assert_isolated, path, method):
    assert_isolated(c(cohort, path), method=method)


def test_learners_get_404_on_enrolment_pages(client, auth, cohort, learner):
    auth.login(learner)
    for path in ("invitations", "invitations/csv", "invite-links"):
        assert client.get(c(cohort, path)).status_code == 404


class TestInvitations:
    def test_invite_accept_with_a_new_account_then_agreement(self, app, client, auth, db, cohort, facilitator, outbox):
        auth.login(facilitator)
        response = post(client, c(cohort, "invitations"), {"name": "Nia New", "email": "Nia@Example.org"})
        assert response.status_code == 302
        mail = outbox()[0]
        assert mail["To"] == "Nia@Example.org" and "Cohort North" in mail["Subject"]
        newcomer = app.test_client()
        page = newcomer.get(_link(mail))
        assert page.status_code == 200 and 'value="Nia New"' in page.get_data(as_text=True)
        response = new_account(newcomer, _link(mail))
        assert response.headers["Location"] == c(cohort, "agreement")
        assert newcomer.get(c(cohort, "")).headers["Location"].startswith(c(cohort, "agreement"))
        assert newcomer.get(_link(mail)).status_code == 410  # used

    def test_an_existing_account_signs_in_and_joins(self, app, client, auth, db, cohort, facilitator, make_user,
                                                  outbox):
        person = make_user("existing@example.org")
        auth.login(facilitator)
        post(client, c(cohort, "invitations"), {"email": "existing@example.org"})
        link = _link(outbox()[0])
        other = app.test_client()
        assert "Sign in to accept" in other.get(link).get_data(as_text=True)
        login(other, person.email)
        assert other.post(link, data={"csrf_token": csrf_token(other, link)}).status_code == 302
        assert _memberships(db, cohort) == 2

    def test_signed_in_as_someone_else_is_explained(self, app, client, auth, cohort, facilitator, outsider, outbox):
        auth.login(facilitator)
        post(client, c(cohort, "invitations"), {"email": "someone@example.org"})
        other = app.test_client()
        login(other, outsider.email)
        body = other.get(_link(outbox()[0])).get_data(as_text=True)
        assert "this invitation was sent to someone@example.org" in body

    def test_members_cannot_be_invited_again_and_the_text_is_kept(self, client, auth, cohort, facilitator, learner):
        auth.login(facilitator)
        response = post(client, c(cohort, "invitations"), {"name": "Lee again", "email": learner.email})
        body = response.get_data(as_text=True)
        assert response.status_code == 422 and "already a member" in body and 'value="Lee again"' in body

    @pytest.mark.parametrize("name,email,message", [
        ("Ada", "not-an-email", "correct format"), ("Ada", "ada@@example.org", "correct format"),
        ("Ada", "", "Enter your email address"), ("A" * 81, "ada@example.org", "80 characters or fewer"),
        ("Ada", "a" * 250 + "@example.org", "characters or fewer"),
    ])
    def test_bad_input_is_explained_and_kept(self, client, auth, db, cohort, facilitator, outbox, name, email,
                                             message):
        auth.login(facilitator)
        response = post(client, c(cohort, "invitations"), {"name": name, "email": email})
        body = response.get_data(as_text=True)
        assert response.status_code == 422 and "There is a problem" in body and message in body
        assert f'value="{email}"' in body if email else 'name="email"' in body
        assert outbox() == [] and db.session.scalar(select(func.count()).select_from(Invitation)) == 0

    def test_the_list_shows_each_state(self, client, auth, db, cohort, facilitator, learner, make_invitation):
        make_invitation(cohort, email="wait@example.org")
        make_invitation(cohort, email="took@example.org", accepted_at=utcnow(), accepted_by_id=learner.id)
        make_invitation(cohort, email="late@example.org", expires_at=utcnow() - timedelta(days=1))
        make_invitation(cohort, email="off@example.org", revoked_at=utcnow())
        auth.login(facilitator)
        body = client.get(c(cohort, "invitations")).get_data(as_text=True)
        for email, state in [("wait", "Waiting"), ("took", "Accepted"), ("late", "Expired"), ("off", "Withdrawn")]:
            assert re.search(rf"{email}@example.org.*?<td[^>]*>{state}\b", body, re.S), state  # "Accepted on …"
        assert body.count("Send again<") == 2  # waiting and expired ones only

    def test_resend_kills_the_old_link_and_revoke_kills_all(self, app, client, auth, db, cohort, facilitator, outbox):
        auth.login(facilitator)
        post(client, c(cohort, "invitations"), {"email": "twice@example.org"})
        invitation = db.session.scalars(select(Invitation)).one()
        post(client, c(cohort, f"invitations/{invitation.id}/resend"))
        old, new = (_link(m) for m in outbox())
        assert app.test_client().get(old).status_code == 410
        assert app.test_client().get(new).status_code == 200
        post(client, c(cohort, f"invitations/{invitation.id}/revoke"))
        assert app.test_client().get(new).status_code == 410

    def test_expired_and_forged_links(self, app, client, auth, db, cohort, facilitator, outbox):
        auth.login(facilitator)
        post(client, c(cohort, "invitations"), {"email": "late@example.org"})
        invitation = db.session.scalars(select(Invitation)).one()
        invitation.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        response = app.test_client().get(_link(outbox()[0]))
        assert response.status_code == 410 and "expired" in response.get_data(as_text=True)
        assert app.test_client().get("/invitations/forged.token.here").status_code == 410

    def test_another_cohorts_invitation_is_a_404(self, client, auth, db, cohort, other_cohort, facilitator):
        theirs = Invitation(cohort_id=other_cohort.id, email="x@example.org", nonce="n",
                            expires_at=utcnow() + timedelta(days=1))
        db.session.add(theirs)
        db.session.commit()
        auth.login(facilitator)
        assert post(client, c(cohort, f"invitations/{theirs.id}/revoke")).status_code == 404
        db.session.expire_all()
        assert db.session.get(Invitation, theirs.id).revoked_at is None

    def test_facilitators_invite_learners_only(self, client, auth, db, cohort, facilitator, outbox):
        auth.login(facilitator)
        assert 'name="role"' not in client.get(c(cohort, "invitations")).get_data(as_text=True)
        post(client, c(cohort, "invitations"), {"email": "f1@example.org", "role": "facilitator"})
        assert db.session.scalars(select(Invitation.role)).one() == "learner"


class TestCsv:
    CSV = ("Name,Email\r\nAda One,ada@example.org\r\nBad Row,not-an-email\r\nAda Again,ADA@example.org\r\n"
           "Lee,learner@example.org\r\n,\r\nNo Mail,\r\n")

    def test_preview_shows_every_problem_and_confirm_invites_once(self, client, auth, db, cohort, facilitator,
                                                                  learner, outbox):
        auth.login(facilitator)
        response = _upload(client, cohort, self.CSV.encode())
        assert response.status_code == 302
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        for problem in ("not in the right format", "Appears twice in this file (also line 2)",
                        "Already a member of this cohort", "No email address"):
            assert problem in page
        assert outbox() == [] and db.session.scalar(select(func.count()).select_from(Invitation)) == 0
        post(client, response.headers["Location"])
        again = post(client, response.headers["Location"], follow_redirects=True)  # a double click
        assert "already been imported" in again.get_data(as_text=True)
        assert db.session.scalar(select(func.count()).select_from(Invitation)) == 1
        assert len(outbox()) == 1

    @pytest.mark.parametrize("data", [
        "\ufeffname;email\nZoë Ådahl;zoe@example.org\n".encode("utf-8"),  # BOM and semicolons (Excel, Europe)
        "Zoë Ådahl,zoe@example.org\n".encode("cp1252"),  # Excel's Windows encoding, no header
        b'"Ad\xc3\xa1, Zo\xc3\xab",zoe@example.org\r\n',  # quoted comma, UTF-8
        b"zoe@example.org,Zoe\n",  # email first
    ])
    def test_spreadsheet_flavours_are_understood(self, client, auth, db, cohort, facilitator, data):
        auth.login(facilitator)
        assert _upload(client, cohort, data).status_code == 302
        rows = db.session.scalars(select(CsvImport)).one().rows
        assert [r["email"] for r in rows] == ["zoe@example.org"] and rows[0]["problem"] is None

    @pytest.mark.parametrize("data,name,message", [
        (b"", "e.csv", "The file is empty"), (b"name,email\n", "h.csv", "only a header row"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "p.csv", "binary data"), (b"a,b@example.org", "x.exe", "must be a CSV"),
        (b"\x81\x8d,\x90@example.org\n", "odd.csv", "could not be read"),
        (b"x" * (1024 * 1024 + 10), "big.csv", "larger than 1 MB"),
        (("n,e\n" + "p,p@example.org\n" * 5001).encode(), "many.csv", "Up to 5,000 people"),
        ((f"{'N' * 81},long@example.org\n").encode(), "long.csv", None),
    ])
    def test_bad_files_are_explained_and_nothing_is_imported(self, client, auth, db, cohort, facilitator,
                                                             data, name, message):
        auth.login(facilitator)
        response = _upload(client, cohort, data, name)
        if message is None:  # a readable file with a bad row: the row is marked, not the file
            assert response.status_code == 302
            assert "longer than 80" in client.get(response.headers["Location"]).get_data(as_text=True)
            return
        assert response.status_code in (413, 422)
        if response.status_code == 422:
            assert message in response.get_data(as_text=True)
        assert db.session.scalar(select(func.count()).select_from(CsvImport)) == 0

    def test_five_thousand_rows_preview_in_under_two_seconds(self, client, auth, db, cohort, facilitator):
        auth.login(facilitator)
        data = ("name,email\n" + "".join(f"Person {n},person{n}@example.org\n" for n in range(5000))).encode()
        started = time.perf_counter()
        response = _upload(client, cohort, data)
        page = client.get(response.headers["Location"])
        elapsed = time.perf_counter() - started
        assert page.status_code == 200 and elapsed < 2.0, elapsed
        assert len(db.session.scalars(select(CsvImport)).one().rows) == 5000


class TestInviteLinks:
    def _make(self, client, cohort, db, **fields):
        post(client, c(cohort, "invite-links"), {"days": 7, "max_uses": 2, **fields})
        return db.session.scalars(select(InviteLink).order_by(InviteLink.id.desc())).first()

    def _join_by_email(self, app, code, email, outbox):
        newcomer = app.test_client()
        url = f"/join/{code}"
        page = newcomer.post(url, data={"email": email, "csrf_token": csrf_token(newcomer, url)})
        return newcomer, page

    def test_join_by_email_until_the_link_is_used_up(self, app, client, auth, db, cohort, facilitator, outbox):
        auth.login(facilitator)
        link = self._make(client, cohort, db)
        for n in range(2):
            newcomer, page = self._join_by_email(app, link.code, f"j{n}@example.org", outbox)
            assert page.status_code == 200 and "Check your email" in page.get_data(as_text=True)
            confirm = re.search(r"http://localhost(/join/\S+/confirm/\S+)", outbox()[-1].get_content()).group(1)
            r = newcomer.post(confirm, data={"display_name": f"J{n}", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
                                             "csrf_token": csrf_token(newcomer, confirm)})
            assert r.headers["Location"].startswith(c(cohort, "agreement")), r.get_data(as_text=True)[:300]
            assert newcomer.get(confirm).status_code == 410  # the account exists now: the link is spent
        third = app.test_client().get(f"/join/{link.code}")
        assert third.status_code == 410 and "used as many times" in third.get_data(as_text=True)

    def test_the_page_never_says_whether_an_address_has_an_account(self, app, client, auth, db, cohort, facilitator,
                                                                  learner, outbox):
        auth.login(facilitator)
        link = self._make(client, cohort, db)
        _, known = self._join_by_email(app, link.code, learner.email, outbox)
        _, unknown = self._join_by_email(app, link.code, "brand-new@example.org", outbox)
        assert known.status_code == unknown.status_code == 200
        assert known.get_data(as_text=True).replace(learner.email, "X") == \
            unknown.get_data(as_text=True).replace("brand-new@example.org", "X")
        existing, new = outbox()[-2:]
        assert "You already" in existing.get_content() and "/confirm/" not in existing.get_content()
        assert "/confirm/" in new.get_content()

    def test_forged_or_foreign_confirmation_tokens_are_refused(self, app, client, auth, db, cohort, facilitator,
                                                              outbox):
        auth.login(facilitator)
        first, second = self._make(client, cohort, db), self._make(client, cohort, db)
        self._join_by_email(app, first.code, "x@example.org", outbox)
        token = re.search(r"/confirm/(\S+)", outbox()[-1].get_content()).group(1)
        assert app.test_client().get(f"/join/{second.code}/confirm/{token}").status_code == 410
        assert app.test_client().get(f"/join/{first.code}/confirm/forged").status_code == 410

    def test_signed_in_people_join_and_members_are_told_kindly(self, app, client, auth, db, cohort, facilitator,
                                                             learner, outsider):
        auth.login(facilitator)
        link = self._make(client, cohort, db)
        other = app.test_client()
        login(other, outsider.email)
        other.post(f"/join/{link.code}", data={"csrf_token": csrf_token(other, "/account")})
        assert other.get(c(cohort, "")).status_code == 302  # joined: now the agreement
        member = app.test_client()
        login(member, learner.email)
        assert "already a member" in member.get(f"/join/{link.code}").get_data(as_text=True)

    def test_expired_revoked_and_unknown_links(self, app, client, auth, db, cohort, facilitator):
        auth.login(facilitator)
        link = self._make(client, cohort, db)
        post(client, c(cohort, f"invite-links/{link.id}/revoke"))
        assert "switched off" in app.test_client().get(f"/join/{link.code}").get_data(as_text=True)
        late = self._make(client, cohort, db)
        late.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        assert app.test_client().get(f"/join/{late.code}").status_code == 410
        assert app.test_client().get("/join/no-such-code").status_code == 410

    def test_link_settings_are_checked(self, client, auth, db, cohort, facilitator):
        auth.login(facilitator)
        response = post(client, c(cohort, "invite-links"), {"days": 0, "max_uses": 1000})
        assert response.status_code == 422
        body = response.get_data(as_text=True)
        assert "between 1 and 60 days" in body and "between 1 and 100 people" in body


def test_sending_invitations_is_rate_limited_per_person(app, client, auth, cohort, facilitator, outbox):
    app.config["RATELIMIT_INVITE"] = "2 per minute"
    try:
        auth.login(facilitator)
        statuses = [post(client, c(cohort, "invitations"), {"email": f"rl{n}@example.org"}).status_code
                    for n in range(3)]
    finally:
        app.config["RATELIMIT_INVITE"] = "10000 per minute"
    assert statuses == [302, 302, 429] and len(outbox()) == 2
