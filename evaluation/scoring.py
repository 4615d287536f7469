"""R12's arithmetic as a pure core (no ORM): the totals and a unit's ranking by
shared/spec/title-scoring.md, "How the total and the ranking follow". Exact decimals,
never rounded before comparing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal("0")

RECOMMENDED = "是"
NOT_RECOMMENDED = "否"
UNDECIDED = "待定"  # a group of equals straddles the quota's edge: the unit committee settles


def quantitative(item_scores: Iterable[tuple[str, Decimal]],
                 caps: Mapping[str, Decimal | None]) -> Decimal:
    """Q: over each group, min(the sum of its item scores, the group's cap where given).
    ``item_scores`` are (group name, score) pairs; items without a score count 0."""
    sums: dict[str, Decimal] = {}
    for group, score in item_scores:
        sums[group] = sums.get(group, ZERO) + score
    total = ZERO
    for group, value in sums.items():
        cap = caps.get(group)
        total += value if cap is None else min(value, cap)
    return total


def total(q: Decimal, lesson: Decimal, *, q_share: Decimal, lesson_share: Decimal) -> Decimal:
    """T = q_share × Q + lesson_share × L (the year's settings; 0.7 and 0.3 by default)."""
    return q_share * q + lesson_share * lesson


@dataclass(frozen=True)
class Entry:
    """One candidate of a ranking group, as the ranking needs them."""

    key: object  # the caller's id
    q: Decimal
    lesson: Decimal
    total: Decimal


@dataclass(frozen=True)
class Ranked:
    key: object
    rank: int
    recommended: str  # RECOMMENDED, NOT_RECOMMENDED or UNDECIDED


def rank(entries: Iterable[Entry], quota: int) -> list[Ranked]:
    """The ranking of one unit and level: T, then Q, then L, all descending; equals on all
    three share a rank (1, 2, 2, 4 …). A candidate is recommended when their rank is within
    the quota and their whole group of equals fits within it; a group that straddles the
    quota's edge is 待定; everyone else is not recommended. Order among equals is the
    caller's order (stable)."""
    ordered = sorted(entries, key=lambda e: (-e.total, -e.q, -e.lesson))
    out: list[Ranked] = []
    i = 0
    while i < len(ordered):
        j = i
        head = ordered[i]
        while j < len(ordered) and (ordered[j].total, ordered[j].q, ordered[j].lesson) == (
                head.total, head.q, head.lesson):
            j += 1
        place = i + 1  # the group's shared rank
        last = j  # the last place the group takes
        if last <= quota:
            verdict = RECOMMENDED
        elif place <= quota:
            verdict = UNDECIDED
        else:
            verdict = NOT_RECOMMENDED
        out.extend(Ranked(e.key, place, verdict) for e in ordered[i:j])
        i = j
    return out
