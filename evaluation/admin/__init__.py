"""evaluation in the admin, one module per part: read-mostly views with their history.
The ballots' choices are not in the admin (the ballot is secret)."""

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
