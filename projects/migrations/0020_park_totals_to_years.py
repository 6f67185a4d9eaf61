"""A park's totals (入驻企业, 累计投资, 带动就业) become a yearly record of the year it was
founded, where any is not zero: the yearly records are what the dashboard counts from now
on, and 0021 drops the totals. 累计投资 was what the dashboard counted as 到位投资, so it
becomes the record's 企业到位投资.

The roles get the new records as they have the parks (projects 0005): 录入员 adds, changes
and views programmes and yearly records, 查看者 views them, 系统管理员 holds every
permission."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["programme", "industrialparkyear"]
ROLE_ACTIONS = {
    "系统管理员": ["add", "change", "delete", "view"],
    "录入员": ["add", "change", "view"],
    "查看者": ["view"],
}


def totals_to_years(apps, schema_editor):
    IndustrialPark = apps.get_model("projects", "IndustrialPark")
    IndustrialParkYear = apps.get_model("projects", "IndustrialParkYear")
    parks = IndustrialPark.objects.exclude(enterprises=0, investment=0, jobs=0)
    IndustrialParkYear.objects.bulk_create(
        IndustrialParkYear(
            park=park,
            year=park.year_founded,
            enterprises=park.enterprises,
            investment=park.investment,
            jobs=park.jobs,
            note="由园区原累计数迁入（设立年度）",
        )
        for park in parks.order_by("pk").iterator()
    )


def years_to_totals(apps, schema_editor):
    IndustrialParkYear = apps.get_model("projects", "IndustrialParkYear")
    for record in IndustrialParkYear.objects.select_related("park").iterator():
        park = record.park
        if record.year == park.year_founded:
            park.enterprises, park.investment, park.jobs = (
                record.enterprises,
                record.investment,
                record.jobs,
            )
            park.save(update_fields=["enterprises", "investment", "jobs"])


def grant(apps, schema_editor):
    config = apps.get_app_config("projects")
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
            *Permission.objects.filter(content_type__app_label="projects", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [
        "%s_%s" % (action, model) for action in ROLE_ACTIONS["系统管理员"] for model in MODELS
    ]
    granted = Permission.objects.filter(content_type__app_label="projects", codename__in=codenames)
    for group in Group.objects.filter(name__in=ROLE_ACTIONS):
        group.permissions.remove(*granted)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("projects", "0019_park_years_programmes"),
    ]

    operations = [
        migrations.RunPython(totals_to_years, years_to_totals),
        migrations.RunPython(grant, revoke),
    ]
