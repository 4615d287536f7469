"""The year a title command names: YEAR (and --county NAME where two counties have one)."""

from django.core.management.base import CommandError

from evaluation.models import TitleYear


def one_year(year: int, county: str | None) -> TitleYear:
    years = TitleYear.objects.filter(year=year).select_related("county")
    if county:
        years = years.filter(county__name=county)
    found = list(years[:2])
    if len(found) != 1:
        raise CommandError(f"title year {year}{' of ' + county if county else ''}: "
                           f"{'none found' if not found else 'more than one (give --county)'}",
                           returncode=2)
    return found[0]
