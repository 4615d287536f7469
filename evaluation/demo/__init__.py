"""seed_demo's phase 10 (settings.DEMO_SEED_STEPS), one module per part. Called with the
demo township once the term has begun (the ``term`` stage): one exam's results and its
awards, the principals' letters signed, a closed evaluation round, … Each part's
``seed`` returns nothing and does nothing when its records exist."""

from __future__ import annotations

from recruitment.models import Cycle, PhaseState
from recruitment.selectors import common as common_selectors
from schools.models import Township

from . import (  # noqa: F401
    ballots,
    exams,
    letters,
    qualifications,
    recommendations,
    researchers,
    title_candidates,
    title_review,
    title_years,
)

ASSESSMENT = 10
# Each part adds its module, in this order: exams, letters (they read the exam's results),
# ballots, recommendations (they read the awards), researchers.
PARTS: list = [exams, letters, ballots, recommendations, researchers]


def seed_year(township: Township, *, stage: str | None = None) -> list:
    cycle = Cycle.objects.filter(township=township).order_by("-school_year").first()
    if cycle is None or common_selectors.phase_of(cycle, ASSESSMENT).state != PhaseState.OPEN:
        return []
    for part in PARTS:
        part.seed(township, cycle)
    return []


# The county's title evaluation (R12) and qualification certification (R13), seeded at
# every stage (they do not follow the township's cycle), in this order: the year with its
# table and quotas (and the county office's login), the candidates and their scores, the
# public scoring and the exceptional review, the qualification applications.
COUNTY_PARTS: list = [title_years, title_candidates, title_review, qualifications]


def seed_county(township: Township, *, stage: str | None = None) -> list:
    """Each part's ``seed(township)`` returns the demo logins it made."""
    logins: list = []
    for part in COUNTY_PARTS:
        logins.extend(part.seed(township))
    return logins
