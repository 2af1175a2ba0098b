"""Demo conversations: believable, written for the demo, so every discussion feature has something to show."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from portal.auth.models import User
from portal.cohorts.models import Cohort, CohortSession
from portal.dates import from_local, utcnow
from portal.discussions.models import Post, Reaction, Thread
from portal.extensions import db
from portal.markdown import render_markdown

# Threads: (space: None for general or a session number, title or None to use the session's starter,
#           [(author email, body, content warning, reply to index or None)], reactions [(post index, email, kind)])
COHORT_A = [
    (1, None, [
        ("learner1@example.org", "Honestly, I nearly didn't come. I sat in the car park for ten minutes. "
         "I'm glad I walked in: hearing other people say *they* were nervous helped.", None, None),
        ("learner3@example.org", "Same here. What got me through the door was remembering that I'd chosen "
         "this for myself. Nobody sent me.", None, 0),
        ("facilitator@example.org", "Thank you both for sharing that. Turning up is often the hardest part, "
         "and you both did it.", None, 1),
    ], [(0, "learner2@example.org", "me_too"), (0, "learner3@example.org", "thanks"),
        (2, "learner1@example.org", "helped")]),
    (2, "Recovery as a process, not a finish line", [
        ("learner2@example.org", "The idea that stuck with me: recovery isn't about never struggling again. "
         "It's about building a life that has room for the hard days too.\n\n- hope\n- some control\n"
         "- people who get it", None, None),
        ("learner4@example.org", "I used to think I'd be \"recovered\" one day, like after a broken leg. "
         "Thinking of it as ongoing is oddly a relief.", None, 0),
        ("learner5@example.org", "> building a life that has room for the hard days too\n\nThis. Writing it "
         "on a sticky note for my fridge.", None, 0),
    ], [(0, "learner4@example.org", "helped"), (0, "learner5@example.org", "thanks")]),
    (3, "Looking back at my own story", [
        ("learner5@example.org", "Doing the timeline brought some things up for me. There was a period after "
         "my brother died when I stopped eating properly and self-harmed for a while. I'm okay now, and I "
         "wanted to say it here because hiding it felt worse than saying it.", "Self-harm", None),
        ("learner1@example.org", "Thank you for trusting us with that. I hope you were kind to yourself "
         "after the session.", None, 0),
        ("facilitator@example.org", "That took courage. If anything from the timeline is still sitting heavy, "
         "my inbox is open, and the *Need help now?* page is there any time.", None, 0),
        ("learner5@example.org", "Thanks both. I went for a walk afterwards and it helped.", None, 2),
    ], [(0, "learner1@example.org", "thanks"), (0, "learner2@example.org", "thanks")]),
    (4, "Is shared experience enough to make someone a peer?", [
        ("learner3@example.org", "I keep coming back to this. Two people can both have a diagnosis and have "
         "nothing in common. Maybe it's more about how you *meet* someone?", None, None),
        ("learner2@example.org", "I think it's both: the shared ground and choosing to stand on it as equals.",
         None, 0),
    ], [(1, "learner3@example.org", "helped")]),
    (None, "Books, podcasts and things that helped", [
        ("learner4@example.org", "Starting a list. Mine: walking groups, a good library card, and a podcast "
         "where people talk about their own recovery.", None, None),
        ("learner6@example.org", "Allotment gardening, genuinely. Hands in the soil quiets my head.", None, 0),
    ], []),
]
COHORT_B = [
    (1, None, [
        ("learner7@example.org", "A bit nervous, a bit excited. Looking forward to getting to know everyone.",
         None, None),
        ("learner8@example.org", "Same! The ground rules session made me feel a lot safer.", None, 0),
    ], [(0, "learner8@example.org", "me_too")]),
    (None, "Hello from the online group", [
        ("facilitator2@example.org", "Welcome, everyone. Use this space for anything that isn't about a "
         "particular session.", None, None),
    ], []),
]


def seed_discussions(cohort: Cohort, users: dict[str, User]) -> int:
    """Add the demo conversations once; a cohort that already has members' posts is left alone."""
    already = db.session.scalar(select(func.count()).select_from(Post).where(
        Post.cohort_id == cohort.id, Post.author_id.is_not(None)))
    if already:
        return 0
    plan = COHORT_A if cohort.name == "Demo cohort A" else COHORT_B
    timetable = db.session.execute(CohortSession.select_timetable(cohort.id)).all()
    sessions = {s.number: s.id for _e, s in timetable}
    held = {s.number: e for e, s in timetable if e.starts_at is not None and e.starts_at <= utcnow()}
    _date_starter_prompts(cohort, {e.course_session_id: from_local(e.day, None) for e in held.values()})
    count = 0
    for t, (space, title, posts, reactions) in enumerate(plan):
        session_id = sessions.get(space) if space else None
        # Talk follows the session it is about (general threads, the first session), a few hours on.
        start = held[space or 1].starts_at + timedelta(days=0 if space else 1, hours=3 if space else t)
        thread = None
        if title is None:  # reply under the session's first starter prompt
            thread = db.session.scalars(select(Thread).where(
                Thread.cohort_id == cohort.id, Thread.course_session_id == session_id,
                Thread.starter_key.is_not(None)).order_by(Thread.id)).first()
        if thread is None:
            thread = Thread(cohort_id=cohort.id, course_session_id=session_id, title=title,
                            author_id=users[posts[0][0]].id, post_count=0, created_at=start)
            db.session.add(thread)
            db.session.flush()
        made: list[Post] = []
        for i, (email, body, warning, reply_to) in enumerate(posts):
            thread.post_count += 1
            when = start + timedelta(hours=i * 3)
            post = Post(cohort_id=cohort.id, thread_id=thread.id, number=thread.post_count,
                        author_id=users[email].id, body_source=body, body_html=render_markdown(body),
                        content_warning=warning, created_at=when,
                        reply_to_id=made[reply_to].id if reply_to is not None else None)
            db.session.add(post)
            db.session.flush()
            made.append(post)
            thread.last_post_at = when
            count += 1
        for index, email, kind in reactions:
            db.session.add(Reaction(post_id=made[index].id, user_id=users[email].id, kind=kind))
    return count


def _date_starter_prompts(cohort: Cohort, opened: dict[int, datetime]) -> None:
    """The course's prompts in held sessions appear when the session opened, before anyone replied to them."""
    for thread, first in db.session.execute(
            select(Thread, Post).join(Post, (Post.thread_id == Thread.id) & (Post.number == 1))
            .where(Thread.cohort_id == cohort.id, Thread.starter_key.is_not(None),
                   Thread.course_session_id.in_(opened))):
        thread.created_at = thread.last_post_at = first.created_at = opened[thread.course_session_id]
