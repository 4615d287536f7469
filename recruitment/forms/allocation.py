"""An allocation run, a proposal's answer and filter, a dispatch pair.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from recruitment.forms import common as common_forms
from recruitment.models import HireSource, Proposal
from staffing.ids import IdField


class AllocationRunForm(forms.Form):
    own_staff_first = forms.BooleanField(
        label=_("Own staff first (R5, 大稳小调): every post ranks its own school's staff "
                "above others, the committee's order kept within each group"),
        required=False, initial=True,
    )


class ProposalDecisionForm(forms.Form):
    CONFIRM, DECLINE = "confirm", "decline"

    decision = forms.ChoiceField(choices=[(CONFIRM, _("Confirm")), (DECLINE, _("Decline"))])
    reason = forms.CharField(
        label=_("Reason for declining (the office sees it)"), required=False,
        max_length=common_forms.REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}),
    )

    @property
    def confirmed(self) -> bool:
        return self.cleaned_data["decision"] == self.CONFIRM


class ProposalFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("Any status")), *Proposal.Status.choices],
    )

    source = forms.ChoiceField(
        label=_("How"), required=False,
        choices=[("", _("Any way")), (HireSource.ALLOCATION, HireSource.ALLOCATION.label),
                 (HireSource.DISPATCH, HireSource.DISPATCH.label)],
    )
    q = forms.CharField(label=_("Name or last 4 of the ID"), required=False, max_length=50,
                        widget=forms.TextInput(attrs={"type": "search"}))

    def status_value(self) -> str:
        return self.cleaned_data["status"] if self.is_valid() else ""

    def value(self, name: str) -> str:
        return self.cleaned_data[name] if self.is_valid() else ""


class PairForm(forms.Form):
    """A staff member and a post (ids; the page scopes them to the cycle)."""

    staff = IdField(label=_("Staff member"))
    post = IdField(label=_("Post"))
