"""The month's forms: the township's settings, an objection to a day, a school's answer,
a reopening's reason, a week to publish, the staff search."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from attendance.models import AttendanceSettings, AttendanceStatus


class SettingsForm(forms.ModelForm):
    class Meta:
        model = AttendanceSettings
        fields = ["contract_filing_days", "objection_working_days", "absent_deduction",
                  "free_late_early", "late_early_deduction", "sick_allowance",
                  "sick_deduction", "personal_allowance", "personal_deduction"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objection_working_days"].min_value = 1
        self.fields["objection_working_days"].max_value = 30
        self.fields["objection_working_days"].widget.attrs.update(min=1, max=30)
        for name in ("absent_deduction", "late_early_deduction", "sick_deduction",
                     "personal_deduction"):
            self.fields[name].min_value = 0
            self.fields[name].widget.attrs["min"] = 0

    def clean_objection_working_days(self):
        value = self.cleaned_data["objection_working_days"]
        if not 1 <= value <= 30:
            raise forms.ValidationError(_("Between 1 and 30 working days."))
        return value

    def clean(self):
        cleaned = super().clean()
        for name in ("absent_deduction", "late_early_deduction", "sick_deduction",
                     "personal_deduction"):
            if cleaned.get(name) is not None and cleaned[name] < 0:
                self.add_error(name, _("A deduction is not negative."))
        return cleaned


class ObjectionForm(forms.Form):
    day = forms.TypedChoiceField(label=_("Day"), choices=())
    reason = forms.CharField(label=_("Reason"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, days=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = [(d.isoformat(), d.strftime("%m-%d")) for d in days]
        self.days = {d.isoformat(): d for d in days}

    def clean_day(self):
        return self.days[self.cleaned_data["day"]]

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give a reason for the objection."))
        return reason


class CorrectForm(forms.Form):
    status = forms.ChoiceField(label=_("Corrected attendance"), choices=AttendanceStatus.choices)
    answer = forms.CharField(label=_("Answer"), max_length=500, required=False)


class DeclineForm(forms.Form):
    answer = forms.CharField(label=_("Reason for declining"), max_length=500)

    def clean_answer(self):
        answer = self.cleaned_data["answer"].strip()
        if not answer:
            raise forms.ValidationError(_("Give the reason for declining."))
        return answer


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason for reopening"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason for reopening."))
        return reason


class WeekForm(forms.Form):
    week = forms.DateField(label=_("Week"))


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name or last 4 ID digits"), max_length=50, required=False)
