from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "项目与资金"

    def ready(self):
        # The yearly report's columns, for the headers staff teach it (HeaderAlias).
        from .importers import rows  # noqa: F401
