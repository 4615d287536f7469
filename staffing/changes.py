"""What every app's services share when they change a record: a refusal raised as the
ValidationError a page shows, and a save under the person who made it (its history
user). No app is imported."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def refuse(reason: str | None) -> None:
    """Raise ``reason`` (a workflow's refusal) when there is one."""
    if reason:
        raise ValidationError(reason)


def set_history_user(obj, by) -> None:
    # Outside a request (commands, demo data) simple-history has no user: name it.
    if by is not None:
        obj._history_user = by


def save(obj, by, fields=None) -> None:
    """Save ``obj`` (only ``fields`` when given) with ``by`` as its history's user."""
    set_history_user(obj, by)
    obj.save(update_fields=fields)
