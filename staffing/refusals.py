"""A service's refusal (a ``ValidationError``) shown to the person as one message: every
app's pages say it the same way."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.text import capfirst


def refused(request, exc: ValidationError, *, capitalised: bool = True) -> None:
    """The refusal's messages joined by spaces. recruitment's workflow reasons start in
    lower case ("phase 3 … has not opened yet."), so each is capitalised unless
    ``capitalised=False`` (the cycle's own pages, attendance and evaluation, which have
    always shown them as they are)."""
    messages.error(request, " ".join(capfirst(m) if capitalised else m for m in exc.messages))
