"""The former names and codes (曾用区划) are reference data every role reads, as it reads the
divisions: 录入员, 导入员 and 查看者 may view them (系统管理员 holds every permission). The
import's notices name them; a role that cannot open them could not check one."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEWERS = ["录入员", "导入员", "查看者"]


def grant(apps, schema_editor):
    counties = apps.get_app_config("counties")
    models_module = getattr(counties, "models_module", None)
    counties.models_module = models_module or True  # create_permissions skips None
    create_permissions(counties, apps=apps, verbosity=0)
    counties.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.get(
        content_type__app_label="counties", codename="view_formerdivision"
    )
    for group in Group.objects.filter(name__in=VIEWERS):
        group.permissions.add(view)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.filter(
        content_type__app_label="counties", codename="view_formerdivision"
    )
    for group in Group.objects.filter(name__in=VIEWERS):
        group.permissions.remove(*view)


class Migration(migrations.Migration):
    dependencies = [
        ("counties", "0006_formerdivision"),
        ("projects", "0016_header_alias_sender"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
