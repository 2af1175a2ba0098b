"""A journal entry is its author's alone: every role, through every channel (pages, search, export,
notifications and emails, the cohort home), before sharing, while shared and after the share is revoked."""
from __future__ import annotations


from portal.journal import services
from portal.journal.models import JournalEntry
from tests.security.test_access_matrix import ROLES, URLS, _client, _routes, world  # noqa: F401  (fixture)

SECRET = "Zebracorn"  # a word nobody else writes
REPLY = "Quillfeather"


def _pages_showing(app, w, users, word: str, roles=ROLES) -> list[str]:
    """Every GET page (and the search for the word) where `word` appears, as each of `roles`."""
    found = []
    for role in roles:
        client = _client(app, users.get(role))
        urls = [URLS[e](w) for e, m in _routes(app) if m == "GET" and e in URLS and e != "static"]
        # searched in lower case: the query echoed on the page is not the capitalised word of a result
        urls.append(f"/cohorts/{w.cohort.id}/search?q={word.lower()}")
        for url in urls:
            response = client.get(url)
            # decoded leniently: some pages are files (a session's handout, a "my data" ZIP)
            if word in response.get_data().decode("utf-8", "replace"):
                found.append(f"{role} {url}")
    return found


def _everyone_else(roles=ROLES):
    return [r for r in roles if r != "learner"]


def test_private_shared_and_revoked_entries_reach_nobody_else(app, db, world, outbox):
    w, users = world
    learner, facilitator = users["learner"], users["facilitator"]
    entry = services.write_entry(learner, w.cohort, None, f"{SECRET} title", f"My {SECRET} body", None)
    w.journal_entry_id = entry.id

    # Private: the author sees it, on their pages and in their export; nobody else, anywhere.
    assert _pages_showing(app, w, users, SECRET, _everyone_else()) == []
    mine = _pages_showing(app, w, users, SECRET, ["learner"])
    assert any(p.endswith(f"/journal/{entry.id}") for p in mine)
    assert any(p.endswith("/journal/export.md") for p in mine)
    assert not any("search" in p for p in mine)  # search never indexes the journal, even for its author
    assert all(SECRET not in str(m) for m in outbox())

    if not hasattr(services, "share_entry"):
        return
    # Shared: the cohort's facilitators (and only they) read it; peers, outsiders and admins still don't.
    services.share_entry(learner, w.cohort, entry.id)
    shared_to = _pages_showing(app, w, users, SECRET, _everyone_else())
    assert shared_to and all(p.startswith("facilitator ") for p in shared_to), shared_to
    services.reply_to_entry(facilitator, w.cohort, entry.id, f"A {REPLY} reply")

    # Revoked: facilitators see nothing any more; the reply stays with the author.
    services.revoke_share(learner, w.cohort, entry.id)
    assert _pages_showing(app, w, users, SECRET, _everyone_else()) == []
    assert _pages_showing(app, w, users, REPLY, _everyone_else()) == []
    assert any(p.endswith(f"/journal/{entry.id}") for p in _pages_showing(app, w, users, REPLY, ["learner"]))
    assert all(SECRET not in str(m) and REPLY not in str(m) for m in outbox())
    assert db.session.get(JournalEntry, entry.id).shared_at is None
