"""What every part reads: a page of rows, a phase of a cycle, the phases by number.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator

from recruitment.models import (
    Cycle,
    Phase,
)


def phases_by_number(cycle: Cycle) -> dict[int, Phase]:
    return {p.number: p for p in Phase.objects.filter(cycle=cycle)}


def phase_of(cycle: Cycle, number: int) -> Phase:
    return Phase.objects.select_related("cycle").get(cycle=cycle, number=number)


def page_of(items, page, per_page: int) -> Page:
    return Paginator(items, per_page).get_page(page)
