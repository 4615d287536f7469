"""What every page of the cycle shares: how a refusal is shown, how a moment reads, and
the Step-2 pages' navigation context."""

from __future__ import annotations

from django.contrib import messages
from django.urls import reverse
from django.utils import dateformat, timezone

from recruitment import access
from recruitment.forms import unhired as unhired_forms
from recruitment.selectors import unhired as unhired_selectors
from schools.models import School


def step2_context(request, cycle, here: str, *, office: bool | None = None, **extra) -> dict:
    """The login's parts of these pages (the navigation and the checks), and ``extra``.
    ``office``: already known (a page that required it)."""
    user = request.user
    led = access.schools_led(user, cycle)
    return {
        "cycle": cycle,
        "here": here,
        "office": access.is_cycle_office(user, cycle) if office is None else office,
        "led_school_ids": led,
        "leader": bool(led),
        "on_staff": access.own_staff(user, cycle) is not None,
        **extra,
    }


def back_to(name: str, cycle, request, anchor: str = "") -> str:
    """The page to return to, on the page of the list the form was on."""
    url = reverse(f"recruitment:{name}", args=[cycle.pk])
    page = request.POST.get("page", "")
    query = f"?page={page}" if page.isdigit() else ""
    return f"{url}{query}{anchor}"


def form_refused(request, form, fallback: str | None = None) -> None:
    """A form's errors as one message (``fallback`` when it has none to show)."""
    errors = [e for errors in form.errors.values() for e in errors]
    if errors or fallback is None:
        messages.error(request, " ".join(errors))
    else:
        messages.error(request, fallback)


def when(moment) -> str:
    return dateformat.format(timezone.localtime(moment), "Y-m-d H:i")


def unhired_filter_form(request, cycle) -> unhired_forms.UnhiredFilterForm:
    """The unhired and dispatch lists' filter form, bound to the query string; its
    choices are the township's schools, the unhired's subjects and the free posts'."""
    return unhired_forms.UnhiredFilterForm(
        request.GET or None,
        schools=School.objects.filter(township_id=cycle.township_id).order_by("name"),
        subjects=unhired_selectors.unhired_subjects(cycle),
        post_subjects=unhired_selectors.post_subjects(cycle))
