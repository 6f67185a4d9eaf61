"""The roles' permissions on institutions and their pairings, as on the other registries
(projects 0005): 录入员 adds, changes and views them, 查看者 views them, 系统管理员 holds
every permission; 导入员 imports projects and does not see them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["institution", "institutionpairing"]
ROLE_ACTIONS = {
    "系统管理员": ["add", "change", "delete", "view"],
    "录入员": ["add", "change", "view"],
    "查看者": ["view"],
}


def grant(apps, schema_editor):
    config = apps.get_app_config("institutions")
    models_module = getattr(config, "models_module", None)
    config.models_module = models_module or True  # create_permissions skips None
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, actions in ROLE_ACTIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        codenames = ["%s_%s" % (action, model) for action in actions for model in MODELS]
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="institutions", codename__in=codenames
            )
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    granted = Permission.objects.filter(content_type__app_label="institutions")
    for group in Group.objects.filter(name__in=ROLE_ACTIONS):
        group.permissions.remove(*granted)


class Migration(migrations.Migration):
    dependencies = [
        ("institutions", "0001_initial"),
        # The roles are created there; granting before would be undone by its set().
        ("projects", "0005_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
