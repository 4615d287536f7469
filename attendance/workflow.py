"""attendance's status flows (leave, contract copies, publications' attendance side): each
flow's transitions in one place; a page asks the same function whether an action is
allowed, to show a disabled button with its reason."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

# ---- the weekly and monthly publications (周公示、月兑现) ---------------------------------
# Both publish through staffing.publication; these are their kinds there. A month's key is
# "YYYY-MM" (published to the township's staff); a week's is its Monday's date (published
# by one school to its staff, which is its report to the office). A locked month's
# records refuse every change (attendance.services.days.records_put) until it is
# reopened with a reason.
MONTH_PUBLICATION = "attendance.month"
WEEK_PUBLICATION = "attendance.week"


def month_publish_refusal(on: date, last_working_day: date) -> str | None:
    """The office publishes a month once its last working day has come: earlier, days
    still to be recorded would change the figures published."""
    if on < last_working_day:
        return _("The month can be published from its last working day, %(day)s.") % {
            "day": last_working_day.isoformat()}
    return None


def week_publish_refusal(on: date, monday: date) -> str | None:
    if on < monday:
        return _("This week has not begun.")
    return None


def today() -> date:
    """The day the publications' windows are measured from (tests pin it)."""
    return timezone.localdate()
