"""Pages of the title evaluation part ``qualifications`` (see evaluation/urls.py)."""

from __future__ import annotations

urlpatterns: list = []
