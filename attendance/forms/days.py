"""The day page's marks, the calendar's lines and the attendance upload."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from attendance.models import AttendanceStatus
from staffing import workbook as wb
from staffing.workbook import XLSX_CONTENT_TYPE

NOTE_MAX = 200  # AttendanceRecord.note
STATUS_VALUES = frozenset(AttendanceStatus.values)


def day_marks(data, staff_ids) -> tuple[dict[int, tuple[str, str]], list[str]]:
    """The day page's posted rows: ``s<id>`` a state, ``n<id>`` a note, for each staff
    member listed. A row missing from the post (a page saved before a new colleague
    appeared) is present; a state not among the seven, or a note too long, is an error
    naming nothing else lost."""
    marks, errors = {}, []
    for staff_id in staff_ids:
        status = data.get(f"s{staff_id}") or AttendanceStatus.PRESENT
        note = wb.clean_text(data.get(f"n{staff_id}", ""))
        if status not in STATUS_VALUES:
            errors.append(_("A state that is not one of the seven was sent; choose again."))
            continue
        if len(note) > NOTE_MAX:
            errors.append(_("A note is longer than %(n)d characters.") % {"n": NOTE_MAX})
            continue
        marks[staff_id] = (status, note)
    return marks, sorted(set(errors))


_WORKING = {"班": True, "上班": True, "补班": True, "工作日": True,
            "休": False, "放假": False, "休息": False, "假": False}
_DAY = r"\d{4}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}\s*日?"
_LINE = re.compile(rf"^({_DAY})(?:\s*(?:~|～|至|到|\.\.)\s*({_DAY}))?(?:\s+(.+?))?\s+(\S+)$")
MAX_RANGE = 31  # a holiday run longer than a month is a typing mistake


def calendar_lines(text: str) -> tuple[list[tuple[date, str, bool]], list[str]]:
    """A clerk's lines: ``2026-10-01 国庆节 休``, ``2026-10-01~2026-10-08 国庆节 休``,
    ``2026-10-10 国庆调休 班``; the last word 休/放假 (a day off) or 班/上班 (a working
    day). Returns (date, name, working) per day and one error per wrong line."""
    entries, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip(" \t\u3000")
        if not line:
            continue
        match = _LINE.match(line)
        if not match:
            errors.append(_("Line %(n)d: write a date, a name and 休 or 班, as "
                            "“2026-10-01 国庆节 休”.") % {"n": number})
            continue
        first_text, last_text, name, word = match.groups()
        name = name or ""
        if word not in _WORKING:
            errors.append(_("Line %(n)d: the last word is 休 (a day off) or 班 (a working "
                            "day), not “%(word)s”.") % {"n": number, "word": wb.quoted(word)})
            continue
        try:
            first = wb.parse_date(first_text)
            last = wb.parse_date(last_text) if last_text else first
        except wb.ValueProblem as exc:
            errors.append(_("Line %(n)d: %(reason)s") % {"n": number, "reason": exc})
            continue
        if last < first or (last - first).days >= MAX_RANGE:
            errors.append(_("Line %(n)d: the days run from the first date to a later one, "
                            "at most %(max)d days.") % {"n": number, "max": MAX_RANGE})
            continue
        if len(name) > 50:
            errors.append(_("Line %(n)d: the name is longer than %(max)d characters.")
                          % {"n": number, "max": 50})
            continue
        working = _WORKING[word]
        day = first
        while day <= last:
            entries.append((day, name, working))
            day += timedelta(days=1)
    return entries, errors


class CalendarForm(forms.Form):
    lines = forms.CharField(
        label=gettext_lazy("Holidays and make-up working days, one per line"),
        widget=forms.Textarea(attrs={"rows": 8, "placeholder":
                                     "2026-10-01~2026-10-08 国庆节 休\n2026-10-10 国庆调休 班"}),
        max_length=20_000,
    )

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year

    def clean_lines(self):
        entries, errors = calendar_lines(self.cleaned_data["lines"])
        outside = sorted({d.year for d, _n, _w in entries} - {self.year})
        if outside:
            errors.append(_("This is the calendar of %(year)d; a date of %(other)d was "
                            "written.") % {"year": self.year, "other": outside[0]})
        if errors:
            raise forms.ValidationError(errors)
        if not entries:
            raise forms.ValidationError(_("Write at least one line."))
        return entries


class ImportForm(forms.Form):
    """An attendance workbook for the whole township (its office) or for one school (its
    principal or liaison); ``targets`` are (value, label) the login may choose."""

    target = forms.ChoiceField(label=gettext_lazy("Import for"))
    workbook = forms.FileField(
        label=gettext_lazy("Attendance workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
    )

    def __init__(self, *args, targets: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        field.choices = targets
        self.only = targets[0][0] if len(targets) == 1 else None
        if self.only:
            field.initial = self.only
            field.required = False
            field.widget = forms.HiddenInput()

    def clean_target(self):
        return self.cleaned_data["target"] or self.only
