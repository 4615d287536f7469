"""Forms of the allocation, proposal, dispatch and phase-7 pages: they check shape; the
services (``dispatching``, ``selection``) check the rules and give the reasons."""

from django import forms
from django.utils.translation import gettext_lazy as _

from staffing.ids import IdField

from .models import Proposal, UnhiredReason

REASON_MAX_LENGTH = 1000


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
        max_length=REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}),
    )

    @property
    def confirmed(self) -> bool:
        return self.cleaned_data["decision"] == self.CONFIRM


class ProposalFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("Any status")), *Proposal.Status.choices],
    )

    def status_value(self) -> str:
        return self.cleaned_data["status"] if self.is_valid() else ""


class PairForm(forms.Form):
    """A staff member and a post (ids; the page scopes them to the cycle)."""

    staff = IdField(label=_("Staff member"))
    post = IdField(label=_("Post"))


class StaffForm(forms.Form):
    staff = IdField()


class ScoreForm(forms.Form):
    score = forms.IntegerField(label=_("Test score"), min_value=0, max_value=100)


class PostForm(forms.Form):
    post = IdField(label=_("Post"))


class ExplainForm(forms.Form):
    staff = IdField()
    reason = forms.CharField(
        label=_("Why no post is needed (retiring, long sick leave, …)"),
        max_length=UnhiredReason._meta.get_field("reason").max_length,
    )
