"""Forms of recommendation lists (honours, title promotion, talent programmes) with a
quota, the award as a threshold (R9)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluation import rules
from evaluation.models import ListKind, RequiredAward


class ListForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of list"), choices=ListKind.choices)
    title = forms.CharField(label=_("Title"), max_length=100)
    school_year = forms.IntegerField(label=_("School year (its first year)"), min_value=2000,
                                     max_value=2100)
    quota = forms.IntegerField(label=_("Quota"), min_value=1, max_value=10000)
    required = forms.ChoiceField(label=_("Award required"), choices=RequiredAward.choices,
                                 initial=RequiredAward.EXCELLENCE)
    window_years = forms.IntegerField(label=_("Within the last school years"), min_value=1,
                                      max_value=20, initial=rules.DEFAULT_WINDOW_YEARS)
    as_of = forms.DateField(label=_("Awards counted up to"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}),
                            help_text=_("Empty: today."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_year"].initial = rules.school_year_of(timezone.localdate())


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name or subject"), required=False, max_length=50)


class ObjectionForm(forms.Form):
    candidate = forms.TypedChoiceField(label=_("Candidate"), coerce=int)
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(
        attrs={"rows": 3}))

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].choices = [(c.pk, f"{c.staff.name} · {c.school.name}")
                                            for c in candidates]


class AnswerForm(forms.Form):
    corrected = forms.BooleanField(label=_("The list was corrected"), required=False)
    answer = forms.CharField(label=_("Answer"), max_length=500, required=False)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason for reopening"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}))
