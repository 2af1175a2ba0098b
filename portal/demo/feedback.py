"""Demo feedback in Demo cohort A: given and begun, in open, facilitator-only and allocated mode (one exercise
anonymous), with who reviews whom allocated evenly, one author's "how it landed" and take-forward note, and
learner1's feedback waiting to be read. Fixed words and times, so every run makes the same demo."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.auth.models import User
from portal.cohorts.models import Cohort
from portal.exercises.feedback_models import Feedback, ReviewAllocation
from portal.exercises.models import Exercise
from portal.exercises.response_models import ExerciseResponse
from portal.extensions import db
from portal.markdown import render_markdown


def _l(n: int) -> str:
    return f"learner{n}@example.org"


# Allocated mode: who reviews whom (reviewer -> authors), a rotation: two each, nobody their own.
ALLOCATIONS = {
    "explaining-peer-support": {_l(2): [_l(3), _l(4)], _l(3): [_l(4), _l(5)], _l(4): [_l(5), _l(2)],
                                _l(5): [_l(2), _l(3)]},
    "sharing-power": {_l(1): [_l(2), _l(3)], _l(2): [_l(3), _l(4)], _l(3): [_l(4), _l(5)], _l(4): [_l(5), _l(1)],
                      _l(5): [_l(1), _l(2)]},
}
# (exercise, reviewer, author, given, what worked, something to consider); a reviewer not given is a draft.
FEEDBACK = [
    ("something-that-helped", _l(2), _l(1), True, "The soup! You showed how much it matters when someone keeps "
     "turning up without asking anything back. It made me think of *connection* straight away.",
     "You could say a little about how it felt when she kept coming back, if you wanted to."),
    ("something-that-helped", _l(4), _l(2), True, "I loved the idea that walking side by side takes the "
     "pressure off talking. That's mutual: nobody is sitting opposite anybody.", None),
    ("something-that-helped", _l(1), _l(3), True, "\"Let's find out together\" says everything about being on "
     "the same side. Thank you for sharing it.", None),
    ("something-that-helped", _l(3), _l(4), False, "Writing at night so it isn't only in your head: ", None),
    ("a-turning-point", "facilitator@example.org", _l(2), True, "Thank you for choosing a moment you can look at "
     "kindly. Noticing that you had chosen something is exactly what *having some control* can feel like at "
     "first: small, and real.", "When you come to the written assignment, this could be a good place to start."),
    ("explaining-peer-support", _l(2), _l(3), True, "The map and the fellow traveller will stay with me. It "
     "explains the difference without putting nurses or counsellors down.", None),
    ("explaining-peer-support", _l(3), _l(4), True, "\"Working things out together\" is the heart of it. You kept "
     "it short and warm, like a chat over tea.", "Maybe say what the peer is trained to do, as well as what "
     "they share."),
    ("explaining-peer-support", _l(4), _l(5), True, "\"Company rather than advice\" is lovely, and you ended on "
     "hope.", None),
    ("explaining-peer-support", _l(5), _l(2), True, "You made it sound like something anyone would want: "
     "someone who sits with you while you work out what *you* want.", None),
    ("explaining-peer-support", _l(3), _l(5), False, "I liked how you", None),
    ("sharing-power", _l(1), _l(2), True, "Hearing it from Ray rather than the file puts him in charge of his "
     "own story.", None),
    ("sharing-power", _l(1), _l(3), True, "You explained peer support in one sentence and then stepped back. "
     "Really clear.", "Ray might still want to know roughly how often you'd meet."),
    ("sharing-power", _l(4), _l(1), True, "Starting with \"what would be useful for you\" hands the meeting "
     "straight to Ray.", None),
    ("sharing-power", _l(5), _l(1), True, "Dropping the fixed plan makes a big difference. It reads as an "
     "invitation, not a timetable.", "You could add what peer support is, in a line, for someone new to it."),
    ("sharing-power", _l(2), _l(3), True, "Calling yourself an equal, not an expert, is exactly the shift the "
     "exercise asks for.", None),
    ("sharing-power", _l(3), _l(4), True, "Saying both ways are fine takes the pressure off Ray.", None),
]
# The author who has read theirs, said how it landed and noted what they will take forward.
READ = {("something-that-helped", _l(2)): ({"strengths_first": "yes", "respectful": "yes", "useful": "yes"},
                                         "Side by side can be a way in for people who find talking hard.")}
STEP_PATTERN = ("clear", "strong", "emerging", "clear")  # words on each criterion's scale, never a number


def seed_feedback(cohort: Cohort, users: dict[str, User]) -> int:
    """Allocations and feedback for the demo responses just added (the caller adds them once)."""
    exercises = {e.slug: e for e in db.session.scalars(select(Exercise).where(
        Exercise.course_id == cohort.course_id, Exercise.slug.in_({f[0] for f in FEEDBACK})))}
    responses = {(r.exercise_id, r.author_id): r for r in db.session.scalars(
        select(ExerciseResponse).where(ExerciseResponse.cohort_id == cohort.id))}

    def response(slug: str, email: str) -> ExerciseResponse | None:
        exercise = exercises.get(slug)
        return responses.get((exercise.id, users[email].id)) if exercise else None

    for slug, plan in ALLOCATIONS.items():
        for reviewer, authors in plan.items():
            for author in authors:
                if (item := response(slug, author)) is not None:
                    db.session.add(ReviewAllocation(cohort_id=cohort.id, exercise_id=item.exercise_id,
                                                    response_id=item.id, reviewer_id=users[reviewer].id,
                                                    author_id=item.author_id))
    given_on: dict[int, list[Feedback]] = {}
    for n, (slug, reviewer, author, given, worked, consider) in enumerate(FEEDBACK):
        item = response(slug, author)
        if item is None:
            continue
        when = item.submitted_at + timedelta(hours=3 + n % 6)  # always in the past: sessions held days ago
        criteria = exercises[slug].criteria
        feedback = Feedback(
            cohort_id=cohort.id, response_id=item.id, reviewer_id=users[reviewer].id, what_worked=worked,
            what_worked_html=render_markdown(worked), to_consider=consider,
            to_consider_html=render_markdown(consider) if consider else None, status="given" if given else "draft",
            ratings={c["key"]: STEP_PATTERN[(i + n) % 4] for i, c in enumerate(criteria)} if given else {},
            created_at=when, updated_at=when, given_at=when if given else None)
        db.session.add(feedback)
        if given:
            given_on.setdefault(item.id, []).append(feedback)
    for (slug, author), (landed, note) in READ.items():
        item = response(slug, author)
        if item is None or item.id not in given_on:
            continue
        read_at = max(f.given_at for f in given_on[item.id]) + timedelta(hours=2)
        item.feedback_read_at, item.take_forward, item.take_forward_at = read_at, note, read_at
        for feedback in given_on[item.id]:
            feedback.landed, feedback.landed_at = landed, read_at
    return sum(len(v) for v in given_on.values())
