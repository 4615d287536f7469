"""The home page's assessment section (templates/evaluation/_home.html): what each part
shows this login, under the part's own key of ``evaluation``."""

from __future__ import annotations

from evaluation.selectors import ballots


def home_context(user) -> dict:
    """Each part adds its entry, e.g. ``"ballots": ballots.home_of(user)``."""
    return {
        "ballots": ballots.home_of(user),
    }
