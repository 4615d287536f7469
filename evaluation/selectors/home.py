"""The home page's assessment section (templates/evaluation/_home.html): what each part
shows this login, under the part's own key of ``evaluation``."""

from __future__ import annotations

from evaluation.selectors import (
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


def home_context(user) -> dict:
    """Each part adds its entry, e.g. ``"ballots": ballots.home_of(user)``."""
    return {
        "exams": exams.home_of(user),
        "recommendations": recommendations.home_of(user),
        "researchers": researchers.home_of(user),
        "letters": letters.home_of(user),
        "ballots": ballots.home_of(user),
        "title_years": title_years.home_of(user),
        "title_candidates": title_candidates.home_of(user),
        "title_review": title_review.home_of(user),
        "qualifications": qualifications.home_of(user),
    }
