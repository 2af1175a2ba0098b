"""The registry of notification kinds: what each is called, who may get it, how it is mailed and what it says.

A kind's sentence uses no member's words: "{actor} replied in {title}" names a person and a thread or
session title and links to it. Subject kinds (what a notification is about, and who may still see it)
are in subjects.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from portal.notifications.models import MODES


@dataclass(frozen=True)
class Kind:
    name: str
    label: str  # on the settings page: "Replies to my posts"
    sentence: str  # "{actor} replied to you in {title}": no member's words
    subject: str  # a key of subjects.SUBJECTS
    default: str = "now"  # the email mode for someone who has not chosen
    facilitator_only: bool = False
    safety: bool = False  # always mailed at once, can't be turned off
    mailed_elsewhere: bool = False  # its feature already mails it (moderation alerts): the portal list only
    show_actor: bool = True  # False for anything a reviewer may do anonymously: never say who
    before_due: timedelta | None = None  # a reminder: recorded this long before its due date (reminders.py)
    # The words are the facilitators' own, to their own cohort (an announcement), not a member's: always emailed.
    facilitator_words: bool = False


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("mention", "When someone mentions me", "{actor} mentioned you in “{title}”", "post"),
    Kind("reply_to_me", "Replies to my posts", "{actor} replied to you in “{title}”", "post"),
    Kind("thread_reply", "Replies in threads I follow", "{actor} replied in “{title}”", "post", default="daily"),
    Kind("session_released", "A new session opens", "{title} is open{detail}", "cohort_session", default="daily"),
    # Check-ins and returned assignments already email the learner at once (their features): listed here.
    Kind("checkin_message", "Messages from my facilitators", "Your facilitators in {title} sent you a message",
         "checkin", mailed_elsewhere=True),
    Kind("assignment_returned", "Feedback on my assignments", "Feedback on “{title}” is ready", "submission",
         mailed_elsewhere=True),
    # Facilitators. Moderation alerts already email every facilitator at once (portal/moderation/alerts.py):
    # here they join the portal's list, and are not mailed a second time.
    Kind("safety_alert", "Safety alerts (someone may need support)", "Someone in {title} may need support",
         "alert", facilitator_only=True, safety=True, mailed_elsewhere=True),
    Kind("held_content", "Posts waiting for me to look at them", "Something in {title} is waiting for you",
         "alert", facilitator_only=True, mailed_elsewhere=True),
    Kind("flagged_content", "Content hidden after several flags", "Something in {title} was hidden after flags",
         "alert", facilitator_only=True, mailed_elsewhere=True),
)}

# ---- events from exercises, moderation and assignments (issue 15, "events") --------------------------------
# None of these names who acted: reviewers and authors may be anonymous to each other, a flagger is never
# named, and an outcome of moderation says what happened, not who did it. Sentences carry no member's words.
KINDS.update({k.name: k for k in (
    Kind("feedback_received", "Feedback on my exercise responses", "New feedback on your response to “{title}”",
         "feedback", show_actor=False),
    Kind("review_allocated", "Responses I'm asked to give feedback on",
         "You're asked to give feedback on “{title}”{when}", "allocation", show_actor=False),
    Kind("review_due", "Reminders before my feedback is due", "A reminder: your feedback on “{title}” is due{when}",
         "allocation", show_actor=False, before_due=timedelta(days=1)),
    Kind("feedback_rated", "How my feedback landed", "You heard how your feedback on “{title}” landed",
         "landed", default="daily", show_actor=False),
    Kind("moderation_outcome", "When a facilitator acts on something I wrote", "{detail}", "moderation",
         show_actor=False),
    Kind("assignment_due", "Reminders before an assignment is due", "A reminder: “{title}” is due{when}",
         "assignment_due", show_actor=False, before_due=timedelta(days=1)),
    # Facilitators.
    Kind("new_submission", "Assignments handed in", "{actor} handed in “{title}”", "cohort_submission",
         default="daily", facilitator_only=True),
    Kind("new_flag", "Flags on content (below the hiding threshold)", "Something in {title} was flagged",
         "flag", facilitator_only=True, show_actor=False),
    Kind("overdue_feedback", "Feedback past its due date", "Some feedback on “{title}” is overdue{when}",
         "overdue", default="daily", facilitator_only=True, show_actor=False),
)})

# ---- announcements, agreement reminders and timetable changes: portal/announcements/ ----
KINDS.update({k.name: k for k in (
    Kind("announcement", "Announcements from my facilitators", "{actor} posted an announcement: “{title}”",
         "announcement", facilitator_words=True),
    Kind("agreement_reminder", "Reminders to accept my cohort's group agreement",
         "A reminder from your facilitators: please read and accept the group agreement of {title}", "agreement"),
    Kind("timetable_changed", "Changes to the dates and times of sessions", "Timetable change: {title} {detail}",
         "timetable_session"),
)})

# Alerts' reasons (portal/moderation/models.py) -> the kind they are in the portal.
ALERT_KINDS = {"safety_words": "safety_alert", "safety_flag": "safety_alert", "pre_moderation": "held_content",
               "flag_threshold": "flagged_content"}

MODE_LABELS = {"now": "Email me at once", "daily": "Daily digest", "weekly": "Weekly digest",
               "off": "No emails (still listed in the portal)"}
assert set(MODE_LABELS) == set(MODES)


def sentence(kind_name: str, about) -> str:
    """What a notification says, from its kind and what it is about (subjects.About)."""
    kind = KINDS.get(kind_name)
    if kind is None or about is None:
        return "Something you can no longer see"
    actor = (about.actor or "Someone") if kind.show_actor else "Someone"
    return kind.sentence.format(actor=actor, title=about.title, when=about.when, detail=about.detail)


def kinds_for(is_facilitator: bool) -> list[Kind]:
    return [k for k in KINDS.values() if is_facilitator or not k.facilitator_only]
