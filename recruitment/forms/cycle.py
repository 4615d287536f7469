"""The cycle and its phases' dates.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from recruitment import rules
from schools import access


class CycleCreateForm(forms.Form):
    """A new cycle for a school year, in one of the townships this login manages."""

    township = forms.ModelChoiceField(label=_("Township"), queryset=None, empty_label=None)
    school_year = forms.IntegerField(
        label=_("School year (starting)"), min_value=2000, max_value=2100,
        help_text=_("2026 means the school year 2026–2027."),
    )

    def __init__(self, *args, user, latest_year: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        townships = access.townships_managed(user).order_by("name")
        field = self.fields["township"]
        field.queryset = townships
        only = list(townships[:2])
        if len(only) == 1:
            field.initial = only[0].pk
            field.widget = forms.HiddenInput()
        today = timezone.localdate().year
        self.fields["school_year"].initial = max(today, (latest_year or 0) + 1)


class PhaseDatesForm(forms.Form):
    start_date = forms.DateField(label=_("Starts"), widget=forms.DateInput(attrs={"type": "date"}))
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))


class PhaseReopenForm(forms.Form):
    """The office's reason for reopening a phase closed by mistake (kept in its history)."""

    # Not required here: the service refuses a reopening without a reason, in its words.
    reason = forms.CharField(label=_("Why the phase is reopened"), required=False,
                             max_length=rules.HISTORY_REASON_MAX_LENGTH)
