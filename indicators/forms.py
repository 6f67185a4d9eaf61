from django import forms

from .models import IndicatorFigure


class IndicatorFigureForm(forms.ModelForm):
    """A figure in the admin. The place choices are narrowed to the user's scope already;
    figures of the province or of a pairing belong to no county, so they are for users whose
    scope is the whole province, as in the import. `scope` (the user's, counties.scopes) is
    set per request by the admin."""

    scope = None

    class Meta:
        model = IndicatorFigure
        fields = [
            "indicator",
            "year",
            "level",
            "prefecture",
            "county",
            "district",
            "target",
            "result",
            "note",
        ]

    def clean(self):
        cleaned = super().clean()
        level = cleaned.get("level")
        scoped = self.scope is not None and not self.scope.everywhere
        if scoped and level in (IndicatorFigure.Level.PROVINCE, IndicatorFigure.Level.PAIRING):
            self.add_error("level", "全省和上海区结对的指标须由数据范围为全省的用户录入。")
        return cleaned
