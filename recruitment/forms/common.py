"""What the forms share: the reason's length and the filter form base.
"""

from __future__ import annotations

from django import forms

REASON_MAX_LENGTH = 1_000


class FilterForm(forms.Form):
    def filters(self) -> dict:
        """The valid filters (an invalid one is ignored rather than shown as an error)."""
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}
