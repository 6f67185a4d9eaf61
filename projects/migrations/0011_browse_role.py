"""Reading the browsing pages and exports becomes a permission (counties.browse), held by the
roles that read: 查看者, 录入员 and 系统管理员 (which holds every permission). 导入员 imports
and does not read the pages."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READERS = ["查看者", "录入员", "系统管理员"]


def grant(apps, schema_editor):
    counties = apps.get_app_config("counties")
    models_module = getattr(counties, "models_module", None)
    counties.models_module = models_module or True  # create_permissions skips None
    create_permissions(counties, apps=apps, verbosity=0)
    counties.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    browse = Permission.objects.get(content_type__app_label="counties", codename="browse")
    for group in Group.objects.filter(name__in=READERS):
        group.permissions.add(browse)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="counties", codename="browse").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("counties", "0004_browse_permission"),
        ("projects", "0010_indicator_figure_year_index"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
