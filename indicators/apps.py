from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "协作指标"

    def ready(self):
        # The indicator report's columns, for the headers staff teach it (HeaderAlias).
        from .importers import rows  # noqa: F401
