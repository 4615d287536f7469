"""evaluation in the admin, one module per part: read-mostly views with their history.
The ballots' choices are not in the admin (the ballot is secret)."""

from . import ballots, exams, letters, recommendations, researchers, title_years  # noqa: F401
