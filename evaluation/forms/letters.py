"""Forms of target-responsibility letters (目标责任书, R10): the township's template, a letter
per principal, signing or refusing, the year-end outcome."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from evaluation import rules
from evaluation.models import OutcomeResult

TEXT_MAX = 5000
LABELS = {
    "title": _("Title"),
    "standard_operation": _("Standard operation (规范办学)"),
    "curriculum": _("Curriculum (课程开设)"),
    "safety": _("Safety (安全)"),
    "quality": _("Teaching-quality target (教学质量目标)"),
}


class LetterTextForm(forms.Form):
    """A letter's (or the template's) title, four sections and six veto clauses; the
    service checks the placeholders and names the unknown ones."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in rules.TEXT_FIELDS:
            if name == "title":
                self.fields[name] = forms.CharField(label=LABELS[name], max_length=100)
                continue
            veto = name.startswith("veto_")
            label = (gettext("Veto clause %(n)s") % {"n": name.removeprefix("veto_")}
                     if veto else LABELS[name])
            self.fields[name] = forms.CharField(
                label=label, max_length=TEXT_MAX, strip=False,
                widget=forms.Textarea(attrs={"rows": 3 if veto else 5}))

    def text(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in rules.TEXT_FIELDS}


class TemplateForm(LetterTextForm):
    tier_margin = forms.DecimalField(label=_("First tier: points above the township average"),
                                     min_value=Decimal("0.5"), max_value=Decimal("50"),
                                     decimal_places=2)
    gap_share_percent = forms.IntegerField(label=_("Third tier: share of the gap to close (%)"),
                                           min_value=1, max_value=100)


class LetterForm(LetterTextForm):
    target = forms.CharField(label=_("Teaching-quality target ({目标})"), max_length=500,
                             required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("Why you refuse to sign"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 4}))


class OutcomeForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=OutcomeResult.choices,
                               widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in rules.VETO_CLAUSES:
            self.fields[f"veto_{n}"] = forms.BooleanField(
                label=gettext("Clause %(n)d triggered") % {"n": n}, required=False)
            self.fields[f"reason_{n}"] = forms.CharField(
                label=_("Reason"), max_length=1000, required=False)

    def clean(self):
        data = super().clean()
        for n in rules.VETO_CLAUSES:
            reason = (data.get(f"reason_{n}") or "").strip()
            if data.get(f"veto_{n}") and not reason and n != rules.QUALITY_VETO:
                self.add_error(f"reason_{n}", _("Give the reason for this clause."))
        return data

    def vetoes(self) -> dict[int, str]:
        return {n: self.cleaned_data.get(f"reason_{n}", "") for n in rules.VETO_CLAUSES
                if self.cleaned_data.get(f"veto_{n}")}
