"""What every page of the cycle shares: how a refusal is shown, and how a moment reads."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils import dateformat, timezone
from django.utils.text import capfirst


def refused(request, exc: ValidationError, *, capitalised: bool = True) -> None:
    """A service's refusal as one message; workflow's reasons start in lower case ("phase 3
    … has not opened yet."), so each is capitalised, except on the cycle's own pages
    (``capitalised=False``), which have always shown them as they are."""
    messages.error(request, " ".join(capfirst(m) if capitalised else m for m in exc.messages))


def form_refused(request, form, fallback: str | None = None) -> None:
    """A form's errors as one message (``fallback`` when it has none to show)."""
    errors = [e for errors in form.errors.values() for e in errors]
    if errors or fallback is None:
        messages.error(request, " ".join(errors))
    else:
        messages.error(request, fallback)


def when(moment) -> str:
    return dateformat.format(timezone.localtime(moment), "Y-m-d H:i")
