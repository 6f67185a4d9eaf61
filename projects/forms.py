from django import forms

from counties.filters import YEAR_ERROR
from counties.models import FIRST_YEAR, LAST_YEAR

from .models import Project


class YearForm(forms.Form):
    """The landing page's year picker: the years that have projects, this year, and the one
    asked for."""

    year = forms.IntegerField(
        label="年度",
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages=dict.fromkeys(("invalid", "min_value", "max_value"), YEAR_ERROR),
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        years = set(Project.objects.values_list("year", flat=True).distinct().order_by())
        years.add(today.year)
        if self.is_valid() and self.cleaned_data["year"]:
            years.add(self.cleaned_data["year"])
        self.fields["year"].widget = forms.Select(
            choices=[(y, "%s年" % y) for y in sorted(years, reverse=True)]
        )

    def chosen_year(self):
        """The year asked for; this year when none was asked for or the year is wrong."""
        if self.is_valid() and self.cleaned_data["year"]:
            return self.cleaned_data["year"]
        return self.today.year
