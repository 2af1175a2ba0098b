"""Who reviews whose response in "allocated" feedback mode. Pure: plain member ids in, pairs out.

A pair is ``(reviewer, author)``. The feedback service gathers the ids, calls :func:`allocate` (or
:func:`rebalance_after_leaving`) and stores ``result.added`` / deletes ``result.removed``.

Guarantees of :func:`allocate` (proved by ``tests/exercises/test_allocation.py``):

1. **Valid.** Nobody reviews themselves; a reviewer reviews a given author at most once (pairs are a
   set). New pairs only ever join an id of ``reviewers`` to an id of ``authors``.
2. **Locked pairs stay.** Every ``locked`` pair (feedback begun or given, or a facilitator's choice by
   hand) is in the result, whoever it joins, and counts towards its author's k and its reviewer's load.
3. **Covered.** Each author gets ``min(k, locked reviewers + free candidates)`` reviewers, where the
   free candidates are the other ``reviewers`` not already locked to them: so exactly k whenever at
   least k other members can review. ``result.shortfall[author]`` says how many fewer than k they got.
   No pairs are added beyond k; extra unlocked ``existing`` pairs are dropped.
4. **Balanced.** The loads of ``reviewers`` (locked pairs included) have the smallest possible sum of
   squares among all allocations meeting 1-3. Hence, whenever loads differing by at most one are
   possible at all (always so without locked pairs), they differ by at most one. Locked pairs may force
   uneven loads, but no unlocked review could pass, directly or along a chain of reviewers each handing
   one on, from a reviewer to someone with two or more fewer reviews.
5. **Stable.** Valid ``existing`` pairs are kept unless balance or an author's k requires moving them;
   moves use shortest chains, so a rebalance changes few pairs.
6. **Soft preferences**, never at the cost of 1-5: avoid reciprocal pairs (A reviews B and B reviews
   A) and pairs in ``history`` (earlier exercises), so peers meet different people. When the authors
   are exactly the reviewers and nothing exists yet, the allocation is a rotation of a shuffled circle
   (reviewer i reviews the next k) and has no reciprocal pair at all when there are more than 2k members.
7. **Deterministic** for a given ``seed`` (pass e.g. the exercise's id); ``seed=None`` shuffles at random.
"""
from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

Pair = tuple[int, int]  # (reviewer, author)
ROTATION_TRIES = 8  # shuffled circles tried to avoid pairs from history


@dataclass(frozen=True)
class Allocation:
    pairs: frozenset[Pair]          # the whole allocation, locked pairs included
    added: frozenset[Pair]          # in pairs, not in existing or locked: to create
    removed: frozenset[Pair]        # in existing, not in pairs: to delete (never a locked pair)
    shortfall: dict[int, int] = field(default_factory=dict)  # author -> reviewers fewer than k (only > 0)
    loads: dict[int, int] = field(default_factory=dict)      # reviewer -> reviews (every id of reviewers)

    def reviewers_of(self, author: int) -> list[int]:
        return sorted(r for r, a in self.pairs if a == author)

    def authors_for(self, reviewer: int) -> list[int]:
        return sorted(a for r, a in self.pairs if r == reviewer)


def allocate(authors: Sequence[int], reviewers: Sequence[int], k: int, *,
             existing: Iterable[Pair] = (), locked: Iterable[Pair] = (),
             history: Iterable[Pair] = (), seed: int | None = None) -> Allocation:
    """Give each author's response k reviewers from ``reviewers``, evenly (see the module's guarantees).

    ``authors``: members whose submitted responses need feedback. ``reviewers``: members who may review
    now (usually those who responded; not paused, not left). ``existing``: the pairs stored so far, kept
    where still valid. ``locked``: pairs that must stay. ``history``: pairs from earlier exercises.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    authors, reviewers = list(dict.fromkeys(authors)), list(dict.fromkeys(reviewers))
    locked = set(map(tuple, locked))
    if any(r == a for r, a in locked):
        raise ValueError("a locked pair has a member reviewing themselves")
    existing = set(map(tuple, existing))
    history = set(map(tuple, history))
    rng = random.Random(seed)
    rank = {r: i for i, r in enumerate(rng.sample(reviewers, len(reviewers)))}

    wanted = _wanted(authors, reviewers, k, locked)
    fresh = not existing and not locked and set(authors) == set(reviewers)
    if fresh:
        pairs = _rotation(reviewers, k, history, rng)
    else:
        pairs = _keep_existing(existing, locked, wanted, reviewers, rank)
        _fill(pairs, locked, wanted, authors, reviewers, history, rank, rng)
    _balance(pairs, locked, reviewers)
    _untangle_reciprocals(pairs, locked | existing, history)

    result = frozenset(pairs)
    got = defaultdict(int)
    for _, a in result:
        got[a] += 1
    loads = {r: 0 for r in reviewers}
    for r, _ in result:
        if r in loads:
            loads[r] += 1
    return Allocation(pairs=result, added=frozenset(result - existing - locked),
                      removed=frozenset(existing - result),
                      shortfall={a: k - got[a] for a in authors if got[a] < k}, loads=loads)


def rebalance_after_leaving(current: Iterable[Pair], left_member: int, authors: Sequence[int],
                            reviewers: Sequence[int], k: int, *, locked: Iterable[Pair] = (),
                            history: Iterable[Pair] = (), seed: int | None = None) -> Allocation:
    """Re-allocate once ``left_member`` has left (or is paused): their unstarted reviews go to others,
    evenly, and unstarted reviews of their own response are dropped. Locked pairs stay.

    The portal calls it for a paused member too (``allocating.py`` says why); to let a paused member's
    response still collect feedback, call :func:`allocate` with them among ``authors`` but not ``reviewers``.
    """
    return allocate([a for a in authors if a != left_member], [r for r in reviewers if r != left_member],
                    k, existing=current, locked=locked, history=history, seed=seed)


def can_review(reviewer: int, author: int, pairs: Iterable[Pair]) -> bool:
    """Whether a facilitator may add this pair by hand: not oneself, not twice."""
    return reviewer != author and (reviewer, author) not in set(pairs)


def _wanted(authors, reviewers, k, locked) -> dict[int, int]:
    """How many new (unlocked) reviewers each author still needs: up to k, within the free candidates."""
    locked_to = defaultdict(set)
    for r, a in locked:
        locked_to[a].add(r)
    return {a: min(max(0, k - len(locked_to[a])), len(set(reviewers) - locked_to[a] - {a}))
            for a in authors}


def _rotation(members, k, history, rng) -> set[Pair]:
    """Reviewer i of a shuffled circle reviews the next k: perfectly even, no reciprocal pair if n > 2k."""
    n, best = len(members), None
    for _ in range(ROTATION_TRIES if history else 1):
        circle = rng.sample(members, n)
        pairs = {(circle[i], circle[(i + d) % n]) for i in range(n) for d in range(1, min(k, n - 1) + 1)}
        if best is None or len(pairs & history) < len(best & history):
            best = pairs
        if not best & history:
            break
    return best or set()


def _keep_existing(existing, locked, wanted, reviewers, rank) -> set[Pair]:
    """Locked pairs plus the valid existing ones, dropping those beyond an author's k (busiest first)."""
    allowed = set(reviewers)
    valid = sorted(((r, a) for r, a in existing - locked if r != a and r in allowed and a in wanted),
                   key=lambda p: (p[1], rank[p[0]]))
    load = defaultdict(int)
    for r, _ in valid:
        load[r] += 1
    by_author = defaultdict(list)
    for r, a in valid:
        by_author[a].append(r)
    pairs = set(locked)
    for a, rs in by_author.items():
        rs.sort(key=lambda r: (load[r], rank[r]))
        pairs.update((r, a) for r in rs[:wanted[a]])
    return pairs


def _fill(pairs, locked, wanted, authors, reviewers, history, rank, rng) -> None:
    """Round by round, give each author who still needs one the least busy reviewer they may have."""
    load = {r: 0 for r in reviewers}
    for r, _ in pairs:
        if r in load:
            load[r] += 1
    missing = dict(wanted)
    for r, a in pairs - locked:
        missing[a] -= 1
    order = rng.sample(authors, len(authors))
    while any(missing[a] > 0 for a in order):
        for a in order:
            if missing[a] <= 0:
                continue
            r = min((r for r in reviewers if r != a and (r, a) not in pairs),
                    key=lambda r: (load[r], (a, r) in pairs, (r, a) in history, rank[r]))
            pairs.add((r, a))
            load[r] += 1
            missing[a] -= 1


def _balance(pairs, locked, reviewers) -> None:
    """Move unlocked reviews along chains from busier to less busy reviewers while that evens loads.

    A chain: x0 takes author a1 from x1, x1 takes a2 from x2, ... so only x0 gains and the last loses.
    When no chain leads from a reviewer to one busier by two or more, the sum of squared loads is at
    its minimum (no negative cycle in the residual flow graph), which is guarantee 4.
    """
    reviewer_set = set(reviewers)
    while True:
        load = {r: 0 for r in reviewers}
        reviewers_of = defaultdict(set)
        for r, a in pairs:
            if r in load:
                load[r] += 1
            reviewers_of[a].add(r)
        movable = {a: sorted(r for r in rs if r in reviewer_set and (r, a) not in locked)
                   for a, rs in reviewers_of.items()}
        authors = sorted(movable)
        if not _one_chain(pairs, load, reviewers, reviewers_of, movable, authors):
            return


def _one_chain(pairs, load, reviewers, reviewers_of, movable, authors) -> bool:
    """Find and apply one load-evening chain; False when there is none."""
    for level in sorted(set(load.values())):
        if max(load.values()) < level + 2:
            return False
        sources = [r for r in reviewers if load[r] == level]
        came_from = {r: None for r in sources}
        queue = list(sources)
        for x in queue:  # breadth first: shortest chains move the fewest pairs
            for a in authors:
                if a == x or x in reviewers_of[a]:
                    continue
                for r in movable[a]:
                    if r in came_from:
                        continue
                    came_from[r] = (x, a)
                    if load[r] >= level + 2:
                        _apply_chain(pairs, came_from, r)
                        return True
                    queue.append(r)
    return False


def _apply_chain(pairs, came_from, last) -> None:
    removed, added, cur = [], [], last
    while came_from[cur] is not None:
        taker, a = came_from[cur]
        removed.append((cur, a))
        added.append((taker, a))
        cur = taker
    pairs.difference_update(removed)
    pairs.update(added)


def _untangle_reciprocals(pairs, keep, history) -> None:
    """Swap authors between two new pairs to undo "A reviews B and B reviews A", loads unchanged."""
    for x, y in sorted(pairs):
        if (x, y) not in pairs or (y, x) not in pairs or (x, y) in keep:
            continue
        for u, v in sorted(pairs - keep):
            new = ((x, v), (u, y))
            if (u == x or v == y or x == v or u == y or any(p in pairs for p in new)
                    or (v, x) in pairs or (y, u) in pairs or (v, x) in new or (y, u) in new):
                continue
            if sum(p in history for p in new) > ((x, y) in history) + ((u, v) in history):
                continue
            pairs.difference_update(((x, y), (u, v)))
            pairs.update(new)
            break
