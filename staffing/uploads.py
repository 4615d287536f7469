"""A kept upload confirmed: the one flow every import with a preview shares (the roster,
attendance). The upload was checked and kept with its preview (status ``previewed``);
confirming reads the kept file again, under a row lock so a double submit or two clerks
at once import it once, and checks it again, since the database may have changed since
the preview. No app is imported: each import passes its model and its own steps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _


def kept_upload_check(locked, *, allowed: Callable[[Any], bool]) -> None:
    """Refuse to import ``locked`` (a kept upload, row-locked by the caller) unless it is
    previewed and ``allowed(locked)``: the reason as a ``ValidationError``."""
    if locked.status != type(locked).Status.PREVIEWED:
        raise ValidationError(
            _("This upload was already imported.")
            if locked.status == type(locked).Status.COMMITTED
            else _("This upload has errors and cannot be imported."))
    if not allowed(locked):
        raise PermissionDenied


def kept_upload_commit(model, pk: int, *, by, allowed: Callable[[Any], bool],
                       run: Callable[[Any, bytes], Any],
                       keep: Callable[[Any, Any], None]) -> Any:
    """Import the kept upload ``pk`` of ``model`` (its ``Status`` has ``previewed``,
    ``committed``, ``rejected``): refused unless previewed and ``allowed(record)``;
    ``run(record, data)`` imports and returns a result with ``ok`` and ``plan``;
    ``keep(record, plan)`` stores the new preview. The record ends committed (by whom,
    when) or rejected; returns ``run``'s result."""
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=pk)
        kept_upload_check(locked, allowed=allowed)
        with locked.file.open("rb") as handle:
            data = handle.read()
        result = run(locked, data)
        keep(locked, result.plan)
        if result.ok:
            locked.status = model.Status.COMMITTED
            locked.committed_by = by
            locked.committed_at = timezone.now()
        else:
            locked.status = model.Status.REJECTED
        locked.save(update_fields=["summary", "preview", "errors_file", "status",
                                   "committed_by", "committed_at"])
    return result
