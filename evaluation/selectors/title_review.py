"""Reads of the title evaluation part ``title_review``."""

from __future__ import annotations


def home_of(user) -> dict:
    """What the home page shows this login of the part
    (templates/evaluation/title_review/_home.html)."""
    return {}
