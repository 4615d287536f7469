"""The audit page (issue 14, item 4): every change a person or a command recorded in any
app (django-simple-history) and every showing of full resident IDs, searched by person,
kind of record, record and date; read-only, for the offices.

A township office reads the records of its townships, the county office those of its
county, the superuser all. Which township or county a record belongs to is found from the
models themselves (the shortest chain of foreign keys to ``Township`` and ``County``), so a
model given a history later is searched without anyone adding it here; a model with no
such chain is the superuser's only.

One query per kind of record (at most ``PER_PAGE + 1`` rows each), one per changed row for
the state before it, one per kind of related object named: bounded, whatever the number
of rows. Pages go back in time by a cursor (the last row's time, kind and id), not by an
offset, so a page deep in the past costs what the first does.
"""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from simple_history.models import HistoricalChanges

from schools import access
from schools.models import County, FullIdView, Township
from schools.resident_id import mask
from staffing import history
from staffing.ids import optional_id, search_text

PER_PAGE = 50
MAX_DEPTH = 4  # foreign keys followed to find a record's township
SECRET_FIELDS = frozenset({"resident_id"})  # shown masked; the full number has its own log


@dataclass(frozen=True)
class Source:
    """One kind of record the page searches: a historical model, or a log of full-ID
    showings."""

    key: str  # "schools.staff", the value of the kind filter
    model: type[models.Model]
    name: object  # what a clerk calls it: the model's lazy plural, read in the page's language
    township: str | None  # lookup from a row to its township's id
    county: str | None
    when: str = "history_date"
    who: str = "history_user"
    order: str = "history_id"
    subject: str = "id"  # the record's number: the history's object, or whose ID was shown
    reveal: bool = False  # a full-ID log, not a history


@dataclass
class Row:
    source: Source
    record: models.Model
    when: datetime
    who: str
    action: str
    object_id: int | None
    reason: str = ""
    changes: list[history.FieldChange] = field(default_factory=list)

    @property
    def cursor(self) -> str:
        number = getattr(self.record, self.source.order)
        return f"{self.when.isoformat()}|{self.source.key}|{number}"


def _forward(model) -> list[models.Field]:
    return [f for f in model._meta.get_fields()
            if (f.many_to_one or f.one_to_one) and f.concrete and f.related_model is not None
            and not f.name.startswith("history_")]


def _path(model, target, depth: int = 0) -> str | None:
    """The shortest chain of foreign keys from ``model`` to ``target`` ("" when it is
    the target), None when there is none within ``MAX_DEPTH``."""
    if model is target:
        return ""
    if depth == MAX_DEPTH:
        return None
    best = None
    for f in _forward(model):
        rest = _path(f.related_model, target, depth + 1) if f.related_model is not model else None
        if rest is not None:
            chain = f"{f.name}__{rest}" if rest else f.name
            if best is None or chain.count("__") < best.count("__"):
                best = chain
    return best


def _id_lookup(chain: str | None) -> str | None:
    """A chain ending on the target model, as a lookup of the target's id."""
    if chain is None:
        return None
    return f"{chain}_id" if chain else "pk"


def _has(model, name: str) -> bool:
    return any(f.name == name for f in model._meta.fields)


@functools.cache
def sources() -> tuple[Source, ...]:
    """Every historical model of the project, and the two full-ID logs."""
    found = []
    for model in apps.get_models():
        if not issubclass(model, HistoricalChanges) or not _has(model, "history_date"):
            continue  # a many-to-many's history: its rows belong to the parent's
        base = model.instance_type
        found.append(Source(
            key=base._meta.label_lower, model=model,
            name=base._meta.verbose_name_plural,
            township=_id_lookup(_path(base, Township)),
            county=_id_lookup(_path(base, County))))
    qualification_views = apps.get_model("evaluation", "QualificationIdView")
    for model, subject in ((FullIdView, "staff_id"), (qualification_views, "application_id")):
        found.append(Source(
            key=model._meta.label_lower, model=model,
            name=model._meta.verbose_name_plural,
            township=_id_lookup(_path(model, Township)), county=_id_lookup(_path(model, County)),
            when="viewed_at", who="viewer", order="pk", subject=subject, reveal=True))
    return tuple(sorted(found, key=lambda s: s.key))


def _scope_filter(source: Source, scope) -> Q | None:
    """Which rows of ``source`` this scope reads; None: none of them."""
    if scope.superuser:
        return Q()
    allowed = []
    if source.township and scope.township_ids:
        allowed.append(Q(**{f"{source.township}__in": scope.township_ids}))
    if source.county and scope.county_ids:
        allowed.append(Q(**{f"{source.county}__in": scope.county_ids}))
    return functools.reduce(operator.or_, allowed) if allowed else None


def visible_sources(user) -> list[Source]:
    scope = access.scope_of(user)
    return [s for s in sources() if _scope_filter(s, scope) is not None]


@dataclass(frozen=True)
class Search:
    kind: str = ""
    record: int | None = None
    who: str = ""
    since: date | None = None
    until: date | None = None
    before: tuple[datetime, str, int] | None = None  # the cursor

    @classmethod
    def from_query(cls, data, keys: set[str]) -> Search:
        """Bad or foreign values are dropped (no filter), never an error."""
        kind = data.get("kind", "")
        return cls(kind=kind if kind in keys else "",
                   record=optional_id(data.get("record", "")) if kind in keys else None,
                   who=search_text(data.get("who")),
                   since=_day(data.get("since", "")), until=_day(data.get("until", "")),
                   before=_cursor(data.get("before", ""), keys))


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if len(text) == 10 else None
    except ValueError:
        return None


def _cursor(text: str, keys: set[str]) -> tuple[datetime, str, int] | None:
    parts = text[:120].split("|")
    if len(parts) != 3 or parts[1] not in keys:
        return None
    try:
        moment = parse_datetime(parts[0])
    except ValueError:
        return None
    number = optional_id(parts[2])
    if moment is None or number is None or timezone.is_naive(moment):
        return None
    return moment, parts[1], number


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _who_ids(text: str) -> list[int]:
    """Logins named by username, full name or their staff member's name (at most 200)."""
    users = get_user_model().objects.filter(
        Q(username=text) | Q(first_name__icontains=text) | Q(last_name__icontains=text)
        | Q(staff_profile__name__icontains=text))
    return list(users.values_list("pk", flat=True)[:200])


def _rows_of(source: Source, scope, search: Search, who_ids) -> list:
    rows = source.model.objects.filter(_scope_filter(source, scope))
    if who_ids is not None:
        rows = rows.filter(**{f"{source.who}_id__in": who_ids})
    if search.since:
        rows = rows.filter(**{f"{source.when}__gte": _start(search.since)})
    if search.until:
        rows = rows.filter(**{f"{source.when}__lt": _start(search.until + timedelta(days=1))})
    if search.record is not None:
        rows = rows.filter(**{source.subject: search.record})
    if search.before:
        moment, key, number = search.before
        earlier = Q(**{f"{source.when}__lt": moment})
        if source.key == key:
            earlier |= Q(**{source.when: moment, f"{source.order}__lt": number})
        elif source.key > key:
            earlier |= Q(**{source.when: moment})
        rows = rows.filter(earlier)
    return list(rows.select_related(f"{source.who}__staff_profile")
                .order_by(f"-{source.when}", f"-{source.order}")[:PER_PAGE + 1])


def search_rows(user, search: Search) -> tuple[list[Row], bool]:
    """The page's rows, newest first, and whether older ones follow."""
    scope = access.scope_of(user)
    chosen = [s for s in visible_sources(user) if not search.kind or s.key == search.kind]
    who_ids = _who_ids(search.who) if search.who else None
    found = []
    for source in chosen:
        for record in _rows_of(source, scope, search, who_ids):
            found.append(_row(source, record))
    found.sort(key=lambda r: (r.source.key, -getattr(r.record, r.source.order)))
    found.sort(key=lambda r: r.when, reverse=True)
    page = found[:PER_PAGE]
    _add_changes([r for r in page if not r.source.reveal])
    return page, len(found) > PER_PAGE


def _row(source: Source, record) -> Row:
    who = history.display_name(getattr(record, source.who))
    when, number = getattr(record, source.when), getattr(record, source.subject)
    if source.reveal and record.kind == "export":
        return Row(source, record, when, who, _("full IDs exported"), number,
                   reason=_("%(file)s, %(rows)d rows") % {"file": record.export,
                                                        "rows": record.rows or 0})
    if source.reveal:
        return Row(source, record, when, who, _("full ID shown"), number)
    reason = _(record.history_change_reason) if record.history_change_reason else ""
    return Row(source, record, when, who, str(history.ACTIONS[record.history_type]), number,
               reason=reason)


def _add_changes(rows: list[Row]) -> None:
    """Each changed row's fields before → after: the record's previous history row (one
    query per changed row), related objects by name (one query per key and kind)."""
    by_source: dict[Source, list[tuple[Row, models.Model]]] = {}
    for row in rows:
        if row.record.history_type != "~":
            continue
        older = (row.source.model.objects.filter(id=row.object_id)
                 .filter(Q(history_date__lt=row.when)
                         | Q(history_date=row.when, history_id__lt=row.record.history_id))
                 .order_by("-history_date", "-history_id").first())
        if older is not None:
            by_source.setdefault(row.source, []).append((row, older))
    for pairs in by_source.values():
        fields = [f for f in pairs[0][0].record.tracked_fields
                  if f.editable and not f.primary_key]
        records = [r for pair in pairs for r in (pair[0].record, pair[1])]
        related = history.related_objects(records, fields)
        for row, older in pairs:
            for f in fields:
                old, new = getattr(older, f.attname), getattr(row.record, f.attname)
                if old != new:
                    row.changes.append(history.FieldChange(
                        str(f.verbose_name), _shown(f, old, related), _shown(f, new, related)))


def _shown(f, value, related) -> str:
    if f.name in SECRET_FIELDS and value:
        return mask(str(value))
    return history.show_value(f, value, related)


@login_required
@require_GET
def audit(request):
    """The offices' audit page: search every recorded change and full-ID showing."""
    if not access.scope_of(request.user).is_office:
        raise PermissionDenied
    kinds = sorted(visible_sources(request.user), key=lambda s: str(s.name))
    search = Search.from_query(request.GET, {s.key for s in kinds})
    rows, more = search_rows(request.user, search)
    older = request.GET.copy()
    older["before"] = rows[-1].cursor if more else ""
    newest = request.GET.copy()
    newest.pop("before", None)
    return render(request, "audit.html", {
        "kinds": kinds, "search": search, "rows": rows,
        "older": older.urlencode() if more else "",
        "newest": newest.urlencode() if search.before else None,
    })
