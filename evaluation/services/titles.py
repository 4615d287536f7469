"""Changes shared by the title parts (R12)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F

from evaluation.models import TitleQuota


def scores_changed(quota_ids: Iterable[int]) -> None:
    """A score of these ranking groups changed (an import, the unit's form, an answered
    objection): their revision goes up, so every acknowledgement must be given again."""
    TitleQuota.objects.filter(pk__in=list(quota_ids)).update(revision=F("revision") + 1)
