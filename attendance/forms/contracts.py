"""The shapes of phase 8's forms: the township's template, a contract's clauses, and the
bulk record of copies signed or filed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from attendance.models import CopyKind
from staffing.ids import optional_id

# Contracts ticked at once (a school's page shows 50; the office may tick a few pages').
TICKED_MAX = 1000
CLAUSES_MAX = 20000


class ClausesForm(forms.Form):
    """A template's or a contract's title and clauses (the service checks the
    placeholders and names the unknown ones)."""

    title = forms.CharField(label=_("Title"), max_length=100)
    clauses = forms.CharField(label=_("Clauses"), max_length=CLAUSES_MAX,
                              widget=forms.Textarea(attrs={"rows": 24, "class": "plan-text"}),
                              strip=False)

    def clean_clauses(self):
        clauses = self.cleaned_data["clauses"].replace("\r\n", "\n")
        if not clauses.strip():
            raise forms.ValidationError(_("Write the contract's clauses."))
        return clauses


class MarkForm(forms.Form):
    """Copies of the ticked contracts recorded as signed or filed."""

    ACTIONS = [("sign", _("signed")), ("file", _("filed"))]

    action = forms.ChoiceField(label=_("Record as"), choices=ACTIONS)
    kinds = forms.MultipleChoiceField(label=_("Copies"), choices=CopyKind.choices,
                                      widget=forms.CheckboxSelectMultiple)
    contract = forms.MultipleChoiceField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any value is accepted here; ``clean_contract`` reads each as an id.
        self.fields["contract"].valid_value = lambda value: True

    def clean_contract(self):
        ids = [optional_id(value) for value in self.cleaned_data["contract"][:TICKED_MAX]]
        ids = list(dict.fromkeys(i for i in ids if i is not None))
        if not ids:
            raise forms.ValidationError(_("Tick at least one contract."))
        return ids


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=50)
