from django import forms

from counties.filters import YEAR_ERROR
from counties.models import FIRST_YEAR, LAST_YEAR


class YearForm(forms.Form):
    """The year of the summary and coverage pages: the one asked for, else this year."""

    year = forms.IntegerField(
        label="年度",
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages=dict.fromkeys(("invalid", "min_value", "max_value"), YEAR_ERROR),
        widget=forms.NumberInput(attrs={"placeholder": "如2024"}),
    )

    def chosen_year(self, today):
        """The year asked for; this year when none was asked for or the year is wrong (the
        form then shows why)."""
        if self.is_valid() and self.cleaned_data["year"]:
            return self.cleaned_data["year"]
        return today.year
