"""Forms of exam results and teaching-quality awards (质量积分制, R9,
shared/spec/exam-scores.md): the upload, the township's settings, a further ground, the
search, an objection to one's own row, the office's answer and a reopening's reason."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluation.models import ExamSettings, GroundKind


class ImportForm(forms.Form):
    workbook = forms.FileField(label=_("Exam-scores workbook (.xlsx)"))


class SettingsForm(forms.ModelForm):
    class Meta:
        model = ExamSettings
        fields = ["margin", "objection_days"]

    def clean_margin(self):
        value = self.cleaned_data["margin"]
        if not 0 < value <= 100:
            raise forms.ValidationError(_("Between 0 and 100 points."))
        return value

    def clean_objection_days(self):
        value = self.cleaned_data["objection_days"]
        if not 1 <= value <= 60:
            raise forms.ValidationError(_("Between 1 and 60 days."))
        return value


class GroundForm(forms.Form):
    staff = forms.ModelChoiceField(label=_("Teacher"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=GroundKind.choices)
    title = forms.CharField(label=_("What was won"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff
        self.fields["staff"].label_from_instance = lambda s: f"{s.school.name} · {s.name}"

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Say what was won."))
        return title


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name or school"), required=False, max_length=50)


class ObjectionForm(forms.Form):
    item = forms.ChoiceField(label=_("Grade and subject"), choices=())
    reason = forms.CharField(label=_("Reason"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [(item, item) for item in items]

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give a reason for the objection."))
        return reason


class AnswerForm(forms.Form):
    corrected = forms.TypedChoiceField(
        label=_("Answer"), coerce=lambda v: v == "yes",
        choices=[("yes", _("Corrected (the results were imported again)")),
                 ("no", _("Declined"))])
    answer = forms.CharField(label=_("Answer"), max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason for reopening"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}))
