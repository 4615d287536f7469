"""Ids that come from outside (a form field, a query parameter), parsed in one place.

An id is a plain decimal number of at most 18 digits, greater than zero: it fits a
signed 64-bit integer on every database. Anything else — letters, a sign, a decimal
point, spaces, a NUL byte, full-width digits, 25 digits — is not an id, and a lookup
with it answers 404 (``parse_id``) or finds nothing (``optional_id``), never a 500
(SQLite raises ``OverflowError`` on an integer it cannot bind; PostgreSQL a
``DataError``; a NUL byte a ``ValueError``).
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404

_ID = re.compile(r"[0-9]{1,18}")  # ASCII digits only: str.isdigit() accepts "１２"


def optional_id(value) -> int | None:
    """``value`` as an id, or None when it is missing or not an id."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value > 0 else None
    if not isinstance(value, str) or not _ID.fullmatch(value):
        return None
    number = int(value)
    return number or None


def parse_id(value) -> int:
    """``value`` as an id, else 404 (the page of an object that does not exist)."""
    number = optional_id(value)
    if number is None:
        raise Http404("Not an id.")
    return number


class IdField(forms.IntegerField):
    """A form's id field (often hidden, or a select of people or posts): an id as
    ``optional_id`` reads it, else the field's "Enter a whole number." error."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = optional_id(value)
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


def search_text(value: str | None, limit: int = 50) -> str:
    """What a search box sent, as a lookup may use it: NUL bytes dropped (PostgreSQL's text
    cannot hold one: the query would fail with a ``DataError``), the spaces around it
    stripped, at most ``limit`` characters."""
    return (value or "").replace("\x00", "").strip()[:limit]
