"""The four roles, as groups with their permissions; administrators assign them in the admin.

Scopes (which places a user works on) are set per user on 数据范围, not by the group.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITED = [
    ("projects", "project"),
    ("projects", "fund"),
    ("projects", "fundallocation"),
    ("projects", "industrialpark"),
    ("personnel", "cadre"),
    ("personnel", "exchangeposting"),
    ("counties", "village"),
]
READ = [
    ("counties", "prefecture"),
    ("counties", "county"),
    ("counties", "shanghaidistrict"),
    ("counties", "pairing"),
    ("personnel", "batch"),
    ("projects", "importbatch"),
]


def codenames(models, actions):
    return [(app, "%s_%s" % (action, model)) for app, model in models for action in actions]


ROLES = {
    # Everything, including users and roles; such users also need 职员状态 and are usually
    # superusers.
    "系统管理员": None,
    "录入员": codenames(EDITED, ["add", "change", "view"]) + codenames(READ, ["view"]),
    "导入员": [("projects", "import_project"), ("projects", "view_project")]
    + codenames(READ, ["view"]),
    "查看者": codenames(EDITED + READ, ["view"]),
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the roles need them now.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True  # create_permissions skips None
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        if permissions is None:
            group.permissions.set(Permission.objects.all())
            continue
        found = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in permissions
        ]
        group.permissions.set(found)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("counties", "0002_scope"),
        ("personnel", "0001_initial"),
        ("projects", "0004_import_permission"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
