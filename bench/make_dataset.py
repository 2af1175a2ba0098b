"""Build the benchmark's dataset with the project's own code: 30 cohorts of 15 learners and 2 facilitators,
11 sessions each, 40 threads per cohort, 30,000 posts, and threads of exactly 50, 200 and 800 posts; and a
cohort of 20 learners with responses and feedback on every exercise (exercise_data.py)."""
from __future__ import annotations

import itertools
from datetime import timedelta
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import func, insert, select

from bench.assignment_data import build_assignments
from bench.dashboard_data import build_dashboard
from bench.exercise_data import build_exercises
from portal import create_app
from portal.agreements.models import AgreementAcceptance, AgreementVersion
from portal.auth.models import User
from portal.auth.passwords import hash_password
from portal.cohorts.models import CohortSession, Membership
from portal.cohorts.services import create_cohort
from portal.course.loader import load_content
from portal.course.models import Course
from portal.dates import utcnow
from portal.discussions.models import Post, Reaction, Thread
from portal.extensions import db
from portal.markdown import render_markdown

PASSWORD = "bench-password-long"
TOTP_SECRET = "BENCHBENCHBENCHBENCHBENCHBENCH23"
COHORTS, LEARNERS, FACILITATORS, THREADS, TOTAL_POSTS = 30, 15, 2, 40, 30_000
GROWTH = (50, 200, 800)  # the 200-post thread is the one the benchmark reads

BODIES = [  # about 400 characters of light Markdown each, rendered once
    "I keep thinking about what we said on *hope* this week. For a long time I didn't have any, and then "
    "small things started to help:\n\n- walking the dog each morning\n- a friend who texted without "
    "expecting a reply\n- writing things down\n\n> Recovery isn't a finish line.\n\nThat line stayed with "
    "me. I'm not where I want to be, but I am somewhere different from where I was, and that counts.",
    "Thank you for sharing that. It took me **years** to see that asking for help wasn't weakness. The "
    "role play today felt awkward at first, but by the end I noticed I was listening rather than planning "
    "what to say next. That felt like progress. I'd like to practise the open questions more: *what "
    "matters to you?* feels so much kinder than *what's wrong?* and I want it to become my habit too.",
    "A question for the group: how do you decide how much of your own story to share with someone you've "
    "only just met? I worry about saying too much and making it about me, but I also know that hearing "
    "*me too* was what first helped me. Maybe the test is whether it helps them, not me. I'd love to hear "
    "how others think about this before next week's session on using our experiences.",
]


def build(folder: Path) -> dict:
    """Create the database in `folder`; returns ids and URLs the benchmark needs."""
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "b" * 48}, instance_path=str(folder / "instance"))
    with app.app_context():
        upgrade()
        load_content(Path(__file__).resolve().parent.parent / "content")
        course = db.session.scalars(Course.select_current()).one()
        info = _people_and_cohorts(course)
        info.update(_discussions(info))
        admin = db.session.scalars(select(User).where(User.email == "bench-admin@example.org")).one()
        info.update(build_exercises(admin, course, admin.password_hash, BODIES, [render_markdown(b) for b in BODIES]))
        info.update(build_assignments(admin, course, admin.password_hash, BODIES))
        info.update(build_dashboard(info, [render_markdown(b) for b in BODIES]))
    info["database_url"] = url
    return info


def _people_and_cohorts(course) -> dict:
    hashed, now = hash_password(PASSWORD), utcnow()
    admin = User(email="bench-admin@example.org", display_name="Bench Admin", password_hash=hashed,
                 is_site_admin=True, totp_secret=TOTP_SECRET, totp_enabled_at=now)
    db.session.add(admin)
    db.session.flush()
    cohort_ids, learners, facilitators = [], {}, {}
    for c in range(COHORTS):
        cohort = create_cohort(admin, course, f"Bench cohort {c + 1}", None, "running")
        cohort_ids.append(cohort.id)
        people = [{"email": f"c{c}-learner{n}@example.org", "display_name": f"Learner {n} of {c}",
                   "password_hash": hashed, "session_version": 1, "reset_stamp": "x", "is_site_admin": False,
                   "active": True, "created_at": now, "updated_at": now} for n in range(LEARNERS)]
        people += [{**p, "email": f"c{c}-fac{n}@example.org", "display_name": f"Facilitator {n} of {c}",
                    "totp_secret": TOTP_SECRET, "totp_enabled_at": now} for n, p in enumerate(people[:FACILITATORS])]
        db.session.execute(insert(User), people)
        ids = db.session.execute(select(User.id, User.email).where(User.email.like(f"c{c}-%"))).all()
        version = db.session.scalars(AgreementVersion.select_current(cohort.id)).one()
        db.session.execute(insert(Membership), [
            {"cohort_id": cohort.id, "user_id": uid, "role": "facilitator" if "-fac" in email else "learner",
             "status": "active", "created_at": now} for uid, email in ids])
        db.session.execute(insert(AgreementAcceptance), [
            {"version_id": version.id, "user_id": uid, "accepted_at": now} for uid, _ in ids])
        learners[cohort.id] = [uid for uid, email in ids if "learner" in email]
        facilitators[cohort.id] = [uid for uid, email in ids if "-fac" in email]
        for entry in db.session.scalars(select(CohortSession).where(CohortSession.cohort_id == cohort.id)):
            entry.starts_at = now - timedelta(days=30)  # every session open
    db.session.commit()
    return {"cohort_ids": cohort_ids, "learners": learners, "facilitators": facilitators}


def _discussions(info: dict) -> dict:
    html = [render_markdown(b) for b in BODIES]
    now = utcnow()
    first = info["cohort_ids"][0]
    special = {}
    for size in GROWTH:  # the measured threads live in the first cohort's general space
        special[size] = _thread(first, None, info["learners"][first], size, html, now, f"{size}-post thread")
    target = special[200]
    posts_200 = db.session.scalars(select(Post.id).where(Post.thread_id == target).order_by(Post.number)).all()
    db.session.execute(Post.__table__.update().where(Post.id == posts_200[3]).values(content_warning="Self-harm"))
    db.session.execute(insert(Reaction), [
        {"post_id": pid, "user_id": uid, "kind": kind, "created_at": now}
        for pid, uid, kind in zip(posts_200[::5], itertools.cycle(info["learners"][first]),
                                  itertools.cycle(["thanks", "me_too", "helped"]))])
    starters = db.session.scalar(select(func.count()).select_from(Post)) - sum(GROWTH)
    threads = COHORTS * THREADS - len(GROWTH)  # starter threads come on top, from the course's prompts
    base, extra = divmod(TOTAL_POSTS - starters - sum(GROWTH), threads)
    sizes = iter([base + 1] * extra + [base] * (threads - extra))
    for cohort_id in info["cohort_ids"]:
        sessions = db.session.scalars(select(CohortSession.course_session_id)
                                      .where(CohortSession.cohort_id == cohort_id)).all()
        for t in range(THREADS - (len(GROWTH) if cohort_id == first else 0)):
            _thread(cohort_id, sessions[t % 6], info["learners"][cohort_id], next(sizes), html, now,
                    f"Thread {t + 1}")
    db.session.commit()
    total = db.session.scalar(select(func.count()).select_from(Post))
    return {"thread_200": target, "growth_threads": special, "total_posts": total, "bench_cohort": first}


def _thread(cohort_id, session_id, authors, size, html, now, title) -> int:
    thread = Thread(cohort_id=cohort_id, course_session_id=session_id, title=title, author_id=authors[0],
                    post_count=size, created_at=now, last_post_at=now)
    db.session.add(thread)
    db.session.flush()
    rows = []
    for n in range(1, size + 1):
        k = n % len(BODIES)
        rows.append({"cohort_id": cohort_id, "thread_id": thread.id, "number": n, "author_id": authors[n % len(authors)],
                     "reply_to_id": None, "body_source": BODIES[k], "body_html": html[k], "created_at": now})
    db.session.execute(insert(Post), rows)
    ids = db.session.scalars(select(Post.id).where(Post.thread_id == thread.id).order_by(Post.number)).all()
    db.session.execute(Post.__table__.update().where(Post.id.in_(ids[2::3])).values(reply_to_id=ids[0]))
    return thread.id
