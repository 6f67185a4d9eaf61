"""The indicator report on the admin's import screens: a report type over projects' engine."""

from projects.resources import ReportResource

from .importers import exporting, rows
from .importers.writing import import_indicator_report
from .models import Indicator, IndicatorFigure


class IndicatorReportResource(ReportResource):
    preview_headers = ["指标", "年度", "地点", "协议数", "完成数"]

    class Meta:
        model = IndicatorFigure
        name = "协作指标报表"
        import_id_fields = ["indicator", "year", "level"]
        # Shown on the import screen; the engine does the reading.
        fields = [c.key for c in rows.COLUMNS]

    def run(self, *, allow_moves, allow_large_amounts, **kwargs):
        return import_indicator_report(**kwargs)

    def template_xlsx(self):
        indicators = Indicator.objects.select_related("parent")
        return exporting.indicator_xlsx_file(indicators)

    def template_csv(self):
        return exporting.indicator_csv_lines()
