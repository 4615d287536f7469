"""Forms of the title evaluation part ``title_candidates``: the declaration, the unit's
refusal, the year's eligibility settings, one candidate's scores, a tie's settlement,
the scores upload."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluation import rules
from evaluation.models import TitleLevel, TitleYear

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DeclareForm(forms.Form):
    level = forms.ChoiceField(label=_("Level declared for"),
                              choices=[("", "—"), *TitleLevel.choices])
    current_title = forms.ChoiceField(label=_("Title held now"),
                                      choices=[(t, t) for t in rules.HELD_TITLES])
    title_since = forms.DateField(label=_("Obtained on"), widget=DATE, required=False)
    exceptional = forms.BooleanField(label=_("Exceptional promotion (破格)"), required=False)
    reason = forms.CharField(label=_("Why exceptional"), max_length=rules.TITLE_TEXT_MAX,
                             required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("Why not eligible"), max_length=rules.TITLE_TEXT_MAX,
                             widget=forms.Textarea(attrs={"rows": 3}))


class SettingsForm(forms.ModelForm):
    class Meta:
        model = TitleYear
        fields = ["reference_date", "first_requires", "first_years", "senior_requires",
                  "senior_years", "full_senior_requires", "full_senior_years",
                  "award_required", "award_window_years"]
        widgets = {"reference_date": DATE}

    def clean(self):
        data = super().clean()
        for name in ("first_years", "senior_years", "full_senior_years"):
            if data.get(name) is not None and data[name] > 30:
                self.add_error(name, _("At most 30 years."))
        for name in ("first_requires", "senior_requires", "full_senior_requires"):
            if data.get(name) and data[name] not in rules.HELD_TITLES:
                self.add_error(name, _("Write one of %(titles)s.")
                               % {"titles": "、".join(rules.HELD_TITLES)})
        return data


class ScoresForm(forms.Form):
    """One candidate's scores: each item of the table (0 to its cap, two decimals, with
    its evidence) and the lesson presentation (0 to 100)."""

    lesson = forms.DecimalField(label=_("Lesson presentation score (说课得分)"), required=False,
                                min_value=0, max_value=100, decimal_places=2, max_digits=5)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"score_{item.pk}"] = forms.DecimalField(
                label=f"{item.code} {item.text}", required=False, min_value=Decimal("0"),
                max_value=item.item_cap, decimal_places=2, max_digits=7)
            self.fields[f"evidence_{item.pk}"] = forms.CharField(
                label=_("Evidence"), required=False, max_length=rules.TITLE_TEXT_MAX)

    def rows(self):
        """(item, its score field, its evidence field) for the template."""
        return [(item, self[f"score_{item.pk}"], self[f"evidence_{item.pk}"])
                for item in self.items]

    def item_values(self) -> dict[int, tuple]:
        return {item.pk: (self.cleaned_data.get(f"score_{item.pk}"),
                          self.cleaned_data.get(f"evidence_{item.pk}", ""))
                for item in self.items}


class GridForm(forms.Form):
    """A page of a unit's candidates of one level, every item's score and the lesson
    score in one grid (the evidence is kept as it is; it is entered per candidate)."""

    def __init__(self, *args, candidates, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates, self.items = candidates, items
        for c in candidates:
            for item in items:
                self.fields[f"s_{c.pk}_{item.pk}"] = forms.DecimalField(
                    label=f"{c.staff.name} {item.code}", required=False, min_value=0,
                    max_value=item.item_cap, decimal_places=2, max_digits=7)
            self.fields[f"l_{c.pk}"] = forms.DecimalField(
                label=f"{c.staff.name} L", required=False, min_value=0, max_value=100,
                decimal_places=2, max_digits=5)

    def rows(self):
        return [(c, [self[f"s_{c.pk}_{item.pk}"] for item in self.items], self[f"l_{c.pk}"])
                for c in self.candidates]

    def values(self) -> dict[int, tuple]:
        """candidate id → ({item id: score or None}, lesson or None)."""
        return {c.pk: ({item.pk: self.cleaned_data.get(f"s_{c.pk}_{item.pk}")
                        for item in self.items}, self.cleaned_data.get(f"l_{c.pk}"))
                for c in self.candidates}


class TieForm(forms.Form):
    decision = forms.ChoiceField(label=_("The committee's settlement"), widget=forms.RadioSelect,
                                 choices=[("recommend", _("recommend")),
                                          ("not_recommend", _("do not recommend"))])
    reason = forms.CharField(label=_("The committee's reason"), max_length=rules.TITLE_TEXT_MAX,
                             widget=forms.Textarea(attrs={"rows": 3}))


class ImportForm(forms.Form):
    workbook = forms.FileField(label=_("Title-scores workbook (.xlsx)"))
