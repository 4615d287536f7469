"""Reads of the title evaluation part ``qualifications``."""

from __future__ import annotations


def home_of(user) -> dict:
    """What the home page shows this login of the part
    (templates/evaluation/qualifications/_home.html)."""
    return {}
