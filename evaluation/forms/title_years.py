"""Forms of the title part ``title_years``: the year and its shares, the table upload, the
ratios and quotas, extra quotas, the five publics, the public's objection and the county
office's answer, the final decision."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluation import rules
from evaluation.models import TitleDocument, TitleLevel

_DATE = forms.DateInput(attrs={"type": "date"})


def _share(label):
    return forms.DecimalField(label=label, min_value=Decimal("0"), max_value=Decimal("1"),
                              max_digits=3, decimal_places=2)


class SharesForm(forms.Form):
    quantitative_share = _share(_("Share of the quantitative score"))
    lesson_share = _share(_("Share of the lesson score"))

    def clean(self):
        data = super().clean()
        q, lesson = data.get("quantitative_share"), data.get("lesson_share")
        if q is not None and lesson is not None:
            reason = rules.title_shares_refusal(q, lesson)
            if reason:
                raise forms.ValidationError(reason)
        return data


class YearForm(SharesForm):
    county = forms.ModelChoiceField(label=_("County"), queryset=None, empty_label=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    field_order = ["county", "year", "quantitative_share", "lesson_share"]

    def __init__(self, *args, counties, this_year: int, **kwargs):
        kwargs.setdefault("initial", {"year": this_year, "quantitative_share": Decimal("0.70"),
                                      "lesson_share": Decimal("0.30")})
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties
        if counties.count() == 1:
            self.fields["county"].widget = forms.HiddenInput()
            self.fields["county"].initial = counties.first().pk


class TableUploadForm(forms.Form):
    workbook = forms.FileField(label=_("Scoring-table workbook (.xlsx)"))


class RatiosForm(forms.Form):
    """A ratio per level (empty: that level's quotas are not computed)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i, level in enumerate(TitleLevel.values):
            self.fields[f"ratio_{i}"] = forms.DecimalField(
                label=level, required=False, min_value=Decimal("0"), max_value=Decimal("1"),
                max_digits=4, decimal_places=3,
                help_text=_("share of the unit's staff, e.g. 0.25"))

    def ratios(self) -> dict:
        return {level: self.cleaned_data.get(f"ratio_{i}")
                for i, level in enumerate(TitleLevel.values)}


class QuotaForm(forms.Form):
    posts = forms.IntegerField(label=_("Post quota"), min_value=0,
                               max_value=rules.TITLE_QUOTA_MAX)
    recommended = forms.IntegerField(label=_("Recommendation quota"), min_value=0,
                                     max_value=rules.TITLE_QUOTA_MAX)


class ExtraForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=TitleLevel.choices)
    count = forms.IntegerField(label=_("Places granted"), min_value=1,
                               max_value=rules.TITLE_QUOTA_MAX)
    document_number = forms.CharField(label=_("Document number"), max_length=100)
    date = forms.DateField(label=_("Date of the document"), widget=_DATE)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class AllocationForm(forms.Form):
    """Places per unit of an extra quota's level: ``lines`` are (quota, places)."""

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        for quota, places in lines:
            self.fields[f"q{quota.pk}"] = forms.IntegerField(
                label=quota.school.name, min_value=0, max_value=rules.TITLE_QUOTA_MAX,
                initial=places)

    def counts(self) -> dict[int, int]:
        return {quota.pk: self.cleaned_data[f"q{quota.pk}"] for quota, _places in self.lines}

    def rows(self):
        return [(quota, self[f"q{quota.pk}"]) for quota, _places in self.lines]


class DocumentForm(forms.ModelForm):
    class Meta:
        model = TitleDocument
        fields = ["title", "number", "date", "text", "published"]
        widgets = {"date": _DATE, "text": forms.Textarea(attrs={"rows": 8})}


class SummaryForm(forms.Form):
    text = forms.CharField(label=_("Main materials"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("What the public page shows: never the resident ID."))
    published = forms.BooleanField(label=_("On the public page"), required=False)


class PublicationForm(forms.Form):
    quotas = forms.BooleanField(label=_("Publish the quotas"), required=False)
    method = forms.BooleanField(label=_("Publish the scoring table"), required=False)
    results = forms.BooleanField(label=_("Publish the results (the rankings)"),
                                 required=False)


class ObjectionForm(forms.Form):
    name = forms.CharField(label=_("Your name (optional)"), max_length=50, required=False)
    contact = forms.CharField(label=_("How to reach you (optional)"), max_length=100,
                              required=False)
    text = forms.CharField(label=_("Your objection"), max_length=rules.TITLE_OBJECTION_MAX,
                           widget=forms.Textarea(attrs={"rows": 5}))
    # A field people never see: a form that fills it is a robot's.
    website = forms.CharField(required=False, max_length=100,
                              widget=forms.TextInput(attrs={"tabindex": "-1",
                                                            "autocomplete": "off"}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=rules.TITLE_OBJECTION_MAX,
                             required=False, widget=forms.Textarea(attrs={"rows": 5}))
    published = forms.BooleanField(label=_("Publish the objection and its answer"),
                                   required=False)


class CloseForm(forms.Form):
    document_number = forms.CharField(label=_("Document number of the decision"),
                                      max_length=100, required=False)
    reason = forms.CharField(label=_("The committee's decision"), max_length=1000,
                             required=False, widget=forms.Textarea(attrs={"rows": 4}))
    confirm = forms.BooleanField(label=_("I understand the year closes and nothing of it "
                                         "can change after"))

    def clean(self):
        data = super().clean()
        if not data.get("document_number", "").strip() and not data.get("reason", "").strip():
            raise forms.ValidationError(_("Give the decision's document number or its text."))
        return data


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=50, required=False)
    level = forms.ChoiceField(label=_("Level"), required=False,
                              choices=[("", _("all levels")), *TitleLevel.choices])
