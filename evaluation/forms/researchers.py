"""Forms of part-time researchers (兼职教研员, R11): rounds of subject central teaching-research
groups, schools' applications, the office's selection."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluation import rules

_SEPARATORS = re.compile(r"[,，、;；\s]+")


class RoundForm(forms.Form):
    school_year = forms.IntegerField(label=_("School year (its first year)"), min_value=2000,
                                     max_value=2100)
    subjects = forms.CharField(label=_("Subjects offered"), max_length=500,
                               help_text=_("Separated by 、 or commas."))
    hosts = forms.TypedMultipleChoiceField(label=_("Schools that may host"), coerce=int,
                                           widget=forms.CheckboxSelectMultiple)
    max_groups_per_school = forms.IntegerField(label=_("Groups per school at most"),
                                               min_value=1, max_value=10,
                                               initial=rules.DEFAULT_MAX_GROUPS_PER_SCHOOL)

    def __init__(self, *args, schools, default_hosts, **kwargs):
        super().__init__(*args, **kwargs)
        self.schools = {s.pk: s for s in schools}
        self.fields["hosts"].choices = [(s.pk, s.name) for s in self.schools.values()]
        self.fields["hosts"].initial = [s.pk for s in default_hosts]
        self.fields["school_year"].initial = rules.school_year_of(timezone.localdate())
        self.fields["subjects"].initial = "、".join(rules.DEFAULT_RESEARCH_SUBJECTS)

    def clean_subjects(self):
        found = [s for s in _SEPARATORS.split(self.cleaned_data["subjects"]) if s]
        if not found:
            raise forms.ValidationError(_("Offer at least one subject."))
        if any(len(s) > 30 for s in found):
            raise forms.ValidationError(_("A subject is at most 30 characters."))
        return list(dict.fromkeys(found))

    def clean_hosts(self):
        return [self.schools[pk] for pk in self.cleaned_data["hosts"]]


class ApplyForm(forms.Form):
    subject = forms.ChoiceField(label=_("Subject"))
    candidate = forms.TypedChoiceField(label=_("Candidate leader"), coerce=int)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, subjects, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [(s, s) for s in subjects]
        self.staff = {s.pk: s for s in staff}
        self.fields["candidate"].choices = [(s.pk, f"{s.name} · {s.subject or '—'}")
                                            for s in self.staff.values()]

    def clean_candidate(self):
        return self.staff[self.cleaned_data["candidate"]]
