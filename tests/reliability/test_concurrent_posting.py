"""Twenty people posting at once through two gunicorn workers: every reply stored, no errors."""
from __future__ import annotations

import re
import threading

import requests
from sqlalchemy import func, select

from portal.discussions import services
from portal.discussions.models import Post
from tests.conftest import PASSWORD
from tests.reliability.servers import gunicorn

CLIENTS, REPLIES = 20, 50


def _session(base: str, email: str) -> tuple[requests.Session, str]:
    s = requests.Session()
    page = s.get(base + "/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = s.post(base + "/login", data={"email": email, "password": PASSWORD, "csrf_token": token},
                      allow_redirects=False)
    assert response.status_code == 302, response.text[:200]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', s.get(base + "/account").text).group(1)
    return s, token


def test_twenty_clients_posting_fifty_replies_each(app, db, tmp_path, cohort, make_user, enrol):
    people = [make_user(f"poster{n}@example.org") for n in range(CLIENTS)]
    for person in people:
        enrol(person, cohort)
    thread_id = services.start_thread(people[0], cohort, None, "Busy hour", "After the session", None, None).thread_id
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    emails, cohort_id = [p.email for p in people], cohort.id  # threads have no app context
    errors: list[str] = []

    with gunicorn(url, tmp_path) as base:
        def poster(n: int) -> None:
            try:
                s, token = _session(base, emails[n])
            except Exception as e:  # reported below, not lost in a thread
                errors.append(f"{n}: could not sign in: {e!r}")
                return
            for i in range(REPLIES):
                r = s.post(f"{base}/cohorts/{cohort_id}/threads/{thread_id}", allow_redirects=False,
                           data={"body": f"Reply {i} from person {n}", "client_token": f"{n}-{i}",
                                 "csrf_token": token})
                if r.status_code != 302:
                    errors.append(f"{n}/{i}: {r.status_code} {r.text[:120]}")

        threads = [threading.Thread(target=poster, args=(n,)) for n in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
    log = "".join(p.read_text() for p in tmp_path.glob("gunicorn-*.log"))
    db.session.expire_all()
    stored = db.session.scalar(select(func.count()).select_from(Post).where(Post.thread_id == thread_id))
    numbers = db.session.scalars(select(Post.number).where(Post.thread_id == thread_id)).all()
    assert errors == []
    assert "database is locked" not in log
    assert stored == 1 + CLIENTS * REPLIES
    assert sorted(numbers) == list(range(1, stored + 1))  # no gaps, no duplicates
