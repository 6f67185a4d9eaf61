from django.apps import AppConfig


class CountiesConfig(AppConfig):
    name = "counties"
    verbose_name = "行政区划与结对"

    def ready(self):
        # Users, roles and scopes in the admin (user_admin.py): it builds on admin.py's audit
        # helpers and replaces auth's own admin screens, which the admin's autodiscovery
        # (django.contrib.admin, first in INSTALLED_APPS) has registered by now.
        from . import user_admin  # noqa: F401
