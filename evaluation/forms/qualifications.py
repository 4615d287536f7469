"""Forms of teacher-qualification certification (教师资格认定, R13): an application, a
check's outcome, a bulk choice, the list's search."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from evaluation import rules
from evaluation.models import CertificateKind, QualificationStep
from schools import resident_id
from staffing.ids import optional_id

OUTCOMES = [("pass", _("pass")), ("fail", _("fail"))]


class ApplicationForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("qualification", "Applicant"), max_length=50)
    resident_id = forms.CharField(label=_("Resident ID"), max_length=30)
    phone = forms.CharField(label=_("Phone"), max_length=20)
    kind = forms.ChoiceField(label=_("Certificate kind"), choices=CertificateKind.choices)
    subject = forms.CharField(label=_("Subject"), max_length=30)
    applied_on = forms.DateField(label=_("Applied on"),
                                 widget=forms.DateInput(attrs={"type": "date"},
                                                         format="%Y-%m-%d"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applied_on"].initial = timezone.localdate()

    def clean_resident_id(self):
        try:
            return resident_id.parse(self.cleaned_data["resident_id"]).number
        except resident_id.ResidentIdError as exc:
            raise forms.ValidationError(_("The resident ID %(reason)s.") % {
                "reason": exc}) from None

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if not rules.QUALIFICATION_PHONE.fullmatch(phone):
            raise forms.ValidationError(_("Enter a phone number of digits."))
        return phone

    def clean_applied_on(self):
        day = self.cleaned_data["applied_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date applied is not in the future."))
        return day


class CheckForm(forms.Form):
    outcome = forms.ChoiceField(label=pgettext_lazy("qualification", "Outcome"), choices=OUTCOMES,
                                widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note (the reason, when it fails)"), max_length=300,
                           required=False)
    certificate_number = forms.CharField(label=_("Certificate number (optional)"),
                                         max_length=30, required=False)

    def clean(self):
        data = super().clean()
        if data.get("outcome") == "fail" and not data.get("note", "").strip():
            self.add_error("note", _("Give the reason the check failed."))
        return data


class IdsField(forms.Field):
    """The ticked applications: ids as ``staffing.ids`` reads them, at most ``MAX_IDS``;
    junk is the field's error, never a lookup."""

    widget = forms.MultipleHiddenInput
    MAX_IDS = 500
    default_error_messages = {
        "required": _("Tick at least one application."),
        "invalid": _("Choose applications of this county."),
    }

    def to_python(self, value):
        if not value:
            return []
        if not isinstance(value, list | tuple) or len(value) > self.MAX_IDS:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        ids = [optional_id(v) for v in value]
        if None in ids:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return list(dict.fromkeys(ids))


class BulkForm(forms.Form):
    """Many applications waiting at one check, one outcome (the confirmation page sends
    it again with ``confirm``)."""

    step = forms.ChoiceField(choices=QualificationStep.choices)
    outcome = forms.ChoiceField(label=pgettext_lazy("qualification", "Outcome"), choices=OUTCOMES,
                                widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note (the reason, when it fails)"), max_length=300,
                           required=False)
    ids = IdsField()
    confirm = forms.BooleanField(required=False)

    def clean(self):
        data = super().clean()
        if data.get("outcome") == "fail" and not data.get("note", "").strip():
            self.add_error("note", _("Give the reason the check failed."))
        return data


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name, or the ID's last four"), max_length=30, required=False)



class UploadForm(forms.Form):
    workbook = forms.FileField(label=_("Applications workbook (.xlsx)"))
