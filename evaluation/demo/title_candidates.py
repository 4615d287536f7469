"""seed_demo: the county's title evaluation, part ``title_candidates``."""

from __future__ import annotations


def seed(township) -> list:
    """Returns the demo logins it made (DemoLogin)."""
    return []
