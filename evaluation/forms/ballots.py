"""Forms of duty reports (述职) and democratic evaluation (民主测评): rounds, reports, the secret
ballot, results and the composite rating."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluation.models import Rating, Term


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100,
                            help_text=_("e.g. 2026–2027学年第一学期述职测评"))
    school_year = forms.IntegerField(label=_("School year (its first calendar year)"),
                                     min_value=2000, max_value=2100)
    term = forms.TypedChoiceField(label=_("Term"), choices=Term.choices, coerce=int)


class InviteForm(forms.Form):
    username = forms.CharField(label=_("Login name of the voter"), max_length=150)


class GuestForm(forms.Form):
    username = forms.CharField(label=_("Login name for the guest"), max_length=150)
    name = forms.CharField(label=_("Guest's name and unit"), max_length=150)


class WeightsForm(forms.Form):
    evaluation = forms.IntegerField(label=_("Weight of the evaluation (%)"), min_value=0,
                                    max_value=100)
    assessment = forms.IntegerField(label=_("Weight of the work assessment (%)"), min_value=0,
                                    max_value=100)


class ReportTextForm(forms.Form):
    text = forms.CharField(label=_("Duty report"), widget=forms.Textarea(attrs={"rows": 12}),
                           max_length=20000)


class ReportFileForm(forms.Form):
    file = forms.FileField(label=_("Report file (PDF or Word)"))


class ObjectionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(
        attrs={"rows": 3}))


class AnswerForm(forms.Form):
    corrected = forms.BooleanField(label=_("Corrected"), required=False)
    answer = forms.CharField(label=_("Answer"), max_length=500, required=False)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason for reopening"), max_length=500)


class BallotForm(forms.Form):
    """One rating per person on the ballot, and the voter's confirmation that the ballot
    cannot be changed once sent."""

    confirm = forms.BooleanField(
        label=_("I have checked my ratings: I know they cannot be changed once sent."))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        for assessee in people:
            self.fields[f"p{assessee.pk}"] = forms.ChoiceField(
                label=assessee.staff.name, choices=Rating.choices, widget=forms.RadioSelect,
                error_messages={"required": _("Rate this person.")})
        self.order_fields([f"p{a.pk}" for a in people] + ["confirm"])

    def rows(self):
        return [(assessee, self[f"p{assessee.pk}"]) for assessee in self.people]

    def ratings(self) -> dict[int, str]:
        return {a.pk: self.cleaned_data[f"p{a.pk}"] for a in self.people}


class ScoresForm(forms.Form):
    """The work-assessment score of each person assessed (0–100, two decimals)."""

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        for assessee in people:
            self.fields[f"s{assessee.pk}"] = forms.DecimalField(
                label=assessee.staff.name, required=False, min_value=0, max_value=100,
                max_digits=5, decimal_places=2)

    def scores(self) -> dict:
        return {a.pk: self.cleaned_data[f"s{a.pk}"] for a in self.people}
