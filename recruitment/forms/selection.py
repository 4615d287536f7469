"""Committee, ranking, confirmation, cadres, vice principals (phase 6).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from recruitment import rules
from recruitment.forms import common as common_forms
from recruitment.models import CadreProposal, CommitteeRole, Decision
from staffing.ids import IdField

RANK_MAX = 999


class CommitteeMemberForm(forms.Form):
    """A login of the township and the role they take on the school's committee; the
    choices offered are the school's liaisons, principal and staff with a login."""

    user = IdField(label=_("Member"), widget=forms.Select)
    role = forms.ChoiceField(label=_("Role"), choices=CommitteeRole.choices)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].widget.choices = [
            ("", _("Choose a person")),
            *((c.user_id, f"{c.name} ({c.note})") for c in candidates),
        ]


class RankingForm(forms.Form):
    """The committee's rank of one applicant for one post, and its decision."""

    staff = IdField(widget=forms.HiddenInput)
    rank = forms.IntegerField(label=_("Rank"), required=False, min_value=1, max_value=RANK_MAX)
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)


# One post's applicants at most (a bound on the work one POST may ask for).
RANKINGS_MAX = 500

RankingFormSet = forms.formset_factory(RankingForm, extra=0, max_num=RANKINGS_MAX,
                                       absolute_max=RANKINGS_MAX, validate_max=True)


def rankings_prefix(post_pk: int) -> str:
    """The formset prefix of one post's ranking form on the school's page."""
    return f"post{post_pk}"


class PickForm(forms.Form):
    """Hire decisions picked on the school's page (``<post id>-<staff id>`` each), and
    whether the principal has seen the confirmation page."""

    pick = forms.MultipleChoiceField(required=False)
    confirmed = forms.BooleanField(required=False)

    def clean_pick(self):
        pairs = []
        for value in self.cleaned_data["pick"][:RANKINGS_MAX]:
            post, _sep, staff = value.partition("-")
            if not (post.isdigit() and staff.isdigit()) or len(value) > 40:
                raise forms.ValidationError(_("Choose the hires to confirm."))
            pairs.append((int(post), int(staff)))
        if not pairs:
            raise forms.ValidationError(_("Choose the hires to confirm."))
        return list(dict.fromkeys(pairs))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any value is accepted here; ``clean_pick`` checks its shape.
        self.fields["pick"].valid_value = lambda value: True


class StaffForm(forms.Form):
    """One staff member the action is about (the principal's confirmation of a hire)."""

    staff = IdField(widget=forms.HiddenInput)


class CadreProposeForm(forms.Form):
    """A middle-level cadre proposed among those hired at the school (R3)."""

    staff = IdField(label=_("Hired staff member"), widget=forms.Select)
    # Not required here: the service refuses a blank position, in its words.
    title = forms.CharField(
        label=_("Position"), required=False,
        max_length=CadreProposal._meta.get_field("title").max_length,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 教导主任")}),
    )

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].widget.choices = [
            ("", _("Choose a person")),
            *((s.pk, f"{s.name} ({s.school.name})") for s in staff),
        ]


class CadreDecisionForm(forms.Form):
    APPROVE, REJECT = "approve", "reject"

    decision = forms.ChoiceField(choices=[(APPROVE, _("Approve")), (REJECT, _("Reject"))])

    @property
    def approved(self) -> bool:
        return self.cleaned_data["decision"] == self.APPROVE


class ViceKeepForm(forms.Form):
    reason = forms.CharField(
        label=_("Remarks (optional)"), required=False, max_length=common_forms.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ViceRemoveForm(forms.Form):
    # Not required here: the service refuses a removal without a reason, in its words.
    reason = forms.CharField(
        label=_("Why the vice principal failed or is unfit"), required=False,
        max_length=common_forms.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "required": True}),
    )


class HireWithdrawForm(forms.Form):
    """The office's reason for withdrawing a confirmed hire (kept in its history)."""

    # Not required here: the service refuses a withdrawal without a reason, in its words.
    reason = forms.CharField(
        label=_("Why the hire is withdrawn"), required=False,
        max_length=rules.HISTORY_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "required": True}),
    )
