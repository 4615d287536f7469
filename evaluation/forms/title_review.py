"""Forms of the public scoring and the exceptional review (R12): a candidate's
acknowledgement or objection, the unit's answer with the scores it changes, the three
steps of an exceptional review."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

SCORE_FIELD = {"max_digits": 7, "decimal_places": 2, "min_value": Decimal("0")}


class AcknowledgeForm(forms.Form):
    """The revision of the scores the page showed: the acknowledgement holds for it."""

    revision = forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)


class ObjectionForm(forms.Form):
    item = forms.TypedChoiceField(label=_("Item (optional)"), required=False, coerce=int,
                                  empty_value=None)
    reason = forms.CharField(label=_("Why you object"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = {item.pk: item for item in items}
        self.fields["item"].choices = [("", _("the scores in general")), *(
            (item.pk, f"{item.code} {item.text}") for item in items)]

    def clean_item(self):
        pk = self.cleaned_data["item"]
        return None if pk is None else self.items[pk]


class AnswerForm(forms.Form):
    """The answer, and for each score of the group a field left as it is or changed."""

    answer = forms.CharField(label=_("Answer"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = list(choices)
        for choice in self.choices:
            cap = choice.item.item_cap if choice.item is not None else Decimal("100")
            self.fields[choice.key] = forms.DecimalField(
                required=False, max_value=cap, initial=choice.current, **SCORE_FIELD,
                widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}))

    def changed_scores(self):
        """(choice, new value) for every score given a different value."""
        out = []
        for choice in self.choices:
            value = self.cleaned_data.get(choice.key)
            if value is not None and value != choice.current:
                out.append((choice, value))
        return out


class UnitEvaluationForm(forms.Form):
    opinion = forms.CharField(label=_("The unit's evaluation"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 4}))
    score = forms.DecimalField(label=_("The unit's score (optional)"), required=False,
                               max_digits=5, decimal_places=2, min_value=Decimal("0"),
                               max_value=Decimal("100"))


class PresentationForm(forms.Form):
    evidence = forms.CharField(label=_("Evidence shown (印证件)"), max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 3}))
    notes = forms.CharField(label=_("Where the score comes from, against the table"),
                            max_length=2000, required=False,
                            widget=forms.Textarea(attrs={"rows": 4}))
    claimed_score = forms.DecimalField(label=_("Score the candidate claims"), **SCORE_FIELD,
                                       max_value=Decimal("1000"))


class FinalForm(forms.Form):
    final_score = forms.DecimalField(label=_("Experts' final score"), **SCORE_FIELD,
                                     max_value=Decimal("1000"))
    outcome = forms.ChoiceField(label=_("Outcome of the review"), widget=forms.RadioSelect,
                                choices=[("passed", _("passed")), ("failed", _("not passed"))])
    note = forms.CharField(label=_("Experts' note"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
