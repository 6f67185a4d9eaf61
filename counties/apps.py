from django.apps import AppConfig
from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.admin import apps as admin_apps
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate
from django.utils import translation

# Django's default permissions, as hujin's own are worded ("可以导入项目年度报表").
PERMISSION_VERBS = {"add": "添加", "change": "修改", "delete": "删除", "view": "查看"}

# Apps whose AppConfig has no Chinese name, named here: permissions are listed as
# "app | model | name", and INSTALLED_APPS names these packages' own AppConfigs.
APP_NAMES = {"axes": "登录保护", "django_tasks_database": "后台任务队列"}


def name_permissions(app_config, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    """Names each model's default permissions in Chinese ("可以添加项目"): Django names them
    "Can add <verbose_name>" in English, and only when it creates them.

    Connected to post_migrate, after Django's own handler has created any missing ones: every
    `migrate` (a fresh database, an upgrade, a test database, a flush) leaves every model's
    default permissions, third-party ones included, named so. Changes only names that differ.
    """
    try:
        content_types = apps.get_model("contenttypes", "ContentType")
        permissions = apps.get_model("auth", "Permission")
    except LookupError:
        return
    with translation.override(settings.LANGUAGE_CODE):
        for model in app_config.get_models():
            opts = model._meta
            content_type = content_types.objects.db_manager(using).get_for_model(
                model, for_concrete_model=False
            )
            for action in opts.default_permissions:
                if action not in PERMISSION_VERBS:
                    continue
                name = "可以%s%s" % (PERMISSION_VERBS[action], opts.verbose_name)
                permissions.objects.using(using).filter(
                    content_type=content_type, codename="%s_%s" % (action, opts.model_name)
                ).exclude(name=name).update(name=name[:255])


class HujinAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with hujin's site as admin.site: its menu ordered by the work and
    its section pages (admin_site.py). In INSTALLED_APPS in place of django.contrib.admin."""

    default = False
    default_site = "counties.admin_site.HujinAdminSite"


class CountiesConfig(AppConfig):
    default = True  # this module has two
    name = "counties"
    verbose_name = "行政区划与结对"

    def ready(self):
        from django.contrib.admin.templatetags import admin_list

        # Users, roles and scopes in the admin (user_admin.py): it builds on admin.py's audit
        # helpers and replaces auth's own admin screens, which the admin's autodiscovery
        # (django.contrib.admin, first in INSTALLED_APPS) has registered by now.
        from . import user_admin  # noqa: F401
        from .admin_site import boolean_icon

        # The admin's yes/no icons say 是/否 to a screen reader, not "True"/"False": every
        # list column, read-only field and boolean display takes the icon from here.
        admin_list._boolean_icon = boolean_icon

        for label, name in APP_NAMES.items():
            if label in self.apps.app_configs:
                self.apps.get_app_config(label).verbose_name = name

        post_migrate.connect(name_permissions, dispatch_uid="counties.name_permissions")
