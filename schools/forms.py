"""Forms of the schools pages and admin: they check shape; the services check rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from staffing.workbook import XLSX_CONTENT_TYPE

from . import access, resident_id
from .models import School, Staff


class StaffSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=50,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Name, subject, title or last 4 of ID"),
            }
        ),
    )


class RosterUploadForm(forms.Form):
    """A roster workbook for one of the townships this login manages.

    Whether the file is a readable xlsx of acceptable size is the workbook module's
    call (``WorkbookError``), made when the service opens it.
    """

    township = forms.ModelChoiceField(label=_("Township"), queryset=None, empty_label=None)
    workbook = forms.FileField(
        label=_("Roster workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        townships = access.townships_managed(user).order_by("name")
        field = self.fields["township"]
        field.queryset = townships
        only = list(townships[:2])
        if len(only) == 1:
            field.initial = only[0].pk
            field.widget = forms.HiddenInput()


class StaffAdminForm(forms.ModelForm):
    """The admin's staff form: a valid resident ID, with sex and birth date agreeing."""

    class Meta:
        model = Staff
        fields = "__all__"  # noqa: DJ007 - the admin chooses its fieldsets

    def clean_resident_id(self):
        try:
            return resident_id.parse(self.cleaned_data["resident_id"]).number
        except resident_id.ResidentIdError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self):
        cleaned = super().clean()
        number = cleaned.get("resident_id")
        if number:
            parsed = resident_id.parse(number)
            if cleaned.get("sex") and cleaned["sex"] != parsed.sex:
                self.add_error("sex", _("does not agree with the resident ID"))
            if cleaned.get("birth_date") and cleaned["birth_date"] != parsed.birth_date:
                self.add_error("birth_date", _("does not agree with the resident ID"))
        return cleaned


class StaffFilterForm(StaffSearchForm):
    """The township-wide staff search: the text, a school and a subject."""

    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none(),
                                    required=False, empty_label=_("All schools"))
    subject = forms.ChoiceField(label=_("Subject"), required=False)

    def __init__(self, *args, schools, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["subject"].choices = [("", _("Any subject")), *((s, s) for s in subjects)]
