"""What every part reads: a page of rows, a phase of a cycle, the phases by number.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator

from recruitment.models import (
    Cycle,
    Hire,
    Phase,
    Post,
    TrainingEnrolment,
)
from schools.models import Staff


def phases_by_number(cycle: Cycle) -> dict[int, Phase]:
    return {p.number: p for p in Phase.objects.filter(cycle=cycle)}


def phase_of(cycle: Cycle, number: int) -> Phase:
    return Phase.objects.select_related("cycle").get(cycle=cycle, number=number)


def page_of(items, page, per_page: int) -> Page:
    return Paginator(items, per_page).get_page(page)



@dataclass
class RowResult:
    """What a bulk action did to one row (a person): the hire or the enrolment made, or
    why the row was refused."""

    staff: Staff
    post: Post | None = None
    hire: Hire | None = None
    enrolment: TrainingEnrolment | None = None
    refusal: str | None = None
