"""Two app servers on one database and one Redis: a session from one works on the other, posts and edits
show on both, and a rate limit is shared. App processes keep no state of their own."""
from __future__ import annotations

import re

import requests
from sqlalchemy import select

from portal.discussions import services
from portal.discussions.models import Post
from tests.conftest import PASSWORD
from tests.reliability.servers import gunicorn, redis_server


def _token(session: requests.Session, base: str, path: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', session.get(base + path).text).group(1)


def test_two_app_servers_share_sessions_posts_and_rate_limits(app, db, tmp_path, cohort, learner):
    thread_id = services.start_thread(learner, cohort, None, "Across servers", "First words", None, None).thread_id
    url, cohort_id, email = app.config["SQLALCHEMY_DATABASE_URI"], cohort.id, learner.email
    with redis_server(tmp_path) as redis_url:
        env = {"PORTAL_REDIS_URL": redis_url, "PORTAL_RATELIMIT_LOGIN": "5 per minute"}
        with gunicorn(url, tmp_path, workers=1, extra_env=env) as one, \
                gunicorn(url, tmp_path, workers=1, extra_env=env) as two:
            browser = requests.Session()
            token = _token(browser, one, "/login")
            signed_in = browser.post(one + "/login", data={"email": email, "password": PASSWORD,
                                                           "csrf_token": token}, allow_redirects=False)
            assert signed_in.status_code == 302
            token = _token(browser, two, "/account")  # the session made on one works on two
            posted = browser.post(f"{two}/cohorts/{cohort_id}/threads/{thread_id}", allow_redirects=False,
                                  data={"body": "Written on server two", "client_token": "x1", "csrf_token": token})
            assert posted.status_code == 302
            for base in (one, two):
                assert "Written on server two" in browser.get(f"{base}/cohorts/{cohort_id}/threads/{thread_id}").text
            # Each server keeps rendered posts in memory; an edit made elsewhere still shows on both at once.
            written = db.session.scalars(select(Post).where(Post.thread_id == thread_id, Post.number == 2)).one()
            services.edit_post(learner, written, "Changed after both servers showed it", None,
                               services.version_of(written))
            for base in (one, two):
                page = browser.get(f"{base}/cohorts/{cohort_id}/threads/{thread_id}").text
                assert "Changed after both servers showed it" in page and "Written on server two" not in page

            statuses = []
            for n in range(6):  # wrong passwords, alternating servers, from one address
                base = (one, two)[n % 2]
                guesser = requests.Session()
                t = _token(guesser, base, "/login")
                statuses.append(guesser.post(base + "/login", data={"email": "nobody@example.org", "password": "x",
                                                                    "csrf_token": t}).status_code)
    # One sign-in and four guesses use up the five: the rest are refused whichever server they reach.
    # Kept per process, each server would have counted only three or four and refused nothing.
    assert statuses == [422, 422, 422, 422, 429, 429]
