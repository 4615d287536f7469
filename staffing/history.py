"""An object's change history (django-simple-history), ready for its page.

Who changed it, when, why (the change reason an import or service records) and
which fields went from what to what. A page shows the latest ``limit`` entries with
a bounded number of queries: one for the records, one per kind of related object
named in them.
"""

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

EMPTY = "—"


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str  # '' when no login made the change (a command, demo data)
    action: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)


def history_of(
    obj,
    *,
    limit: int = 20,
    formatters: dict[str, Callable[[object], str]] | None = None,
) -> list[HistoryEntry]:
    """The latest ``limit`` changes to ``obj``, newest first.

    ``formatters`` maps a field name to how its values are shown, e.g. to mask a
    resident ID.
    """
    formatters = formatters or {}
    records = list(
        obj.history.select_related("history_user__staff_profile")
        .order_by("-history_date", "-history_id")[: limit + 1]
    )
    if not records:
        return []
    fields = [f for f in records[0].tracked_fields if f.editable and not f.primary_key]
    related = related_objects(records, fields)

    def show(f, value) -> str:
        fmt = formatters.get(f.name)
        return fmt(value) if fmt and value else show_value(f, value, related)

    entries = []
    for index, record in enumerate(records[:limit]):
        older = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if older is not None and record.history_type == "~":
            for f in fields:
                old, new = getattr(older, f.attname), getattr(record, f.attname)
                if old != new:
                    changes.append(FieldChange(str(f.verbose_name), show(f, old), show(f, new)))
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=display_name(record.history_user),
                action=str(ACTIONS[record.history_type]),
                # Reasons are stored as untranslated msgids (gettext_noop) by services.
                reason=_(record.history_change_reason) if record.history_change_reason else "",
                changes=changes,
            )
        )
    return entries


ACTIONS = {
    "+": gettext_lazy("created"),
    "~": gettext_lazy("changed"),
    "-": gettext_lazy("deleted"),
}


def display_name(user) -> str:
    """How a page names a login (issue 10): the name of the staff member it is linked to,
    else its full name, else its username; "" for none (a change made by a command or the
    demo data).

    Select ``staff_profile`` with the user and it costs no query; otherwise one query per
    login and request (``staff_names``), however many rows name it."""
    if user is None:
        return ""
    name = _staff_name(user)
    return name or user.get_full_name() or user.get_username()


# Names of logins' staff records looked up during the current request: user pk → name
# ("" for none). Set by ``staffing.middleware.StaffNamesMiddleware``; outside a request
# (a command) each lookup is its own query.
staff_names: ContextVar[dict[int, str] | None] = ContextVar("staff_names", default=None)


def _staff_name(user) -> str:
    if "staff_profile" in user._state.fields_cache:
        staff = user._state.fields_cache["staff_profile"]
        return staff.name if staff is not None else ""
    known = staff_names.get()
    if known is not None and user.pk in known:
        return known[user.pk]
    try:
        name = user.staff_profile.name
    except ObjectDoesNotExist:
        name = ""
    if known is not None:
        known[user.pk] = name
    return name


def related_objects(records, fields) -> dict:
    """(field name, pk) → the related object's text, one query per foreign key."""
    found = {}
    for f in fields:
        if not isinstance(f, models.ForeignKey):
            continue
        pks = {getattr(r, f.attname) for r in records} - {None}
        if not pks:
            continue
        targets, text = f.related_model._base_manager.all(), str
        if f.related_model is get_user_model():  # a login, named as a person is
            targets, text = targets.select_related("staff_profile"), display_name
        for pk, target in targets.in_bulk(pks).items():
            found[(f.name, pk)] = text(target)
    return found


def show_value(f, value, related: dict) -> str:
    """A field's value as a history shows it; ``related`` from ``related_objects``."""
    if value is None or value == "":
        return EMPTY
    if isinstance(f, models.ForeignKey):
        # A related row deleted since is shown by its id.
        return related.get((f.name, value), f"#{value}")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
