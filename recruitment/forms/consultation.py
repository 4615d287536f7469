"""Opinions, decisions, filters, staff search, the ballot (phases 3–4).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from recruitment.forms import common as common_forms
from recruitment.models import Ballot, StaffOpinion
from schools.models import School
from staffing.ids import IdField

OPINION_MAX_LENGTH = 2000


class OpinionForm(forms.Form):
    body = forms.CharField(
        label=_("Your opinion on the draft"),
        max_length=OPINION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class OpinionDecisionForm(forms.Form):
    ADOPT, DECLINE = "adopt", "decline"

    decision = forms.ChoiceField(
        label=_("Decision"), choices=[(ADOPT, _("Adopt")), (DECLINE, _("Decline"))]
    )
    reason = forms.CharField(
        label=_("Reason (the author sees it)"),
        max_length=common_forms.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    @property
    def adopted(self) -> bool:
        return self.cleaned_data["decision"] == self.ADOPT


class OpinionFilterForm(forms.Form):
    """The office's filter on the reported opinions: school, decision, text."""

    school = forms.ModelChoiceField(
        label=_("School"), queryset=School.objects.none(), required=False,
        empty_label=_("All schools"),
    )
    status = forms.ChoiceField(
        label=_("Decision"), required=False,
        choices=[("", _("Any decision")), *StaffOpinion.Status.choices],
    )
    q = forms.CharField(
        label=_("Search"), required=False, max_length=50,
        widget=forms.TextInput(attrs={"type": "search",
                                      "placeholder": _("Text of the opinion or author's name")}),
    )

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(
            township_id=cycle.township_id).order_by("name")

    def filters(self) -> dict:
        """The valid filters (an invalid one is ignored rather than shown as an error)."""
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}


class StaffSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find staff"), required=False, max_length=50,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or school")}),
    )


class BallotForm(forms.Form):
    """The choice, and the vote it was confirmed for (so a stale confirmation is refused)."""

    choice = forms.ChoiceField(choices=Ballot.Choice.choices)
    vote = IdField(required=False, widget=forms.HiddenInput)
