"""Pages of the title evaluation part ``title_review`` (see evaluation/urls.py)."""

from __future__ import annotations

urlpatterns: list = []
