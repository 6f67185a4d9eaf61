"""The cooperation indicators the East–West assessment asks for, and who may work on them.

Codes are stable: reports may name an indicator by code or by its Chinese name. Staff can
add indicators in the admin; the ones here are what every database starts with.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# (code, name, unit, group, parent code)
CATALOGUE = [
    ("fiscal_aid", "上海财政援助资金", "万元", "funds", None),
    ("social_funds", "动员社会帮扶资金", "万元", "funds", None),
    ("cadres", "选派党政干部", "人", "talent", None),
    ("professionals", "选派专业技术人才", "人", "talent", None),
    ("teachers", "其中：教师", "人", "talent", "professionals"),
    ("doctors", "其中：医生", "人", "talent", "professionals"),
    ("other_professionals", "其中：其他专业技术人才", "人", "talent", "professionals"),
    ("labour_jobs", "帮助农村劳动力就业", "人", "labour", None),
    ("labour_poor", "其中：脱贫人口就业", "人", "labour", "labour_jobs"),
    ("labour_shanghai", "到上海就业", "人", "labour", "labour_jobs"),
    ("labour_shanghai_poor", "到上海就业的脱贫人口", "人", "labour", "labour_shanghai"),
    ("labour_province", "省内就近就业", "人", "labour", "labour_jobs"),
    ("labour_province_poor", "省内就近就业的脱贫人口", "人", "labour", "labour_province"),
    ("labour_elsewhere", "到其他省份就业", "人", "labour", "labour_jobs"),
    ("labour_elsewhere_poor", "到其他省份就业的脱贫人口", "人", "labour", "labour_elsewhere"),
    ("trained", "培训农村劳动力和干部人才", "人次", "labour", None),
    ("consumption_aid", "消费帮扶销售额", "万元", "consumption", None),
    ("parks", "共建产业园区", "个", "industry", None),
    ("enterprises", "引导入驻企业", "家", "industry", None),
    ("investment", "到位投资", "万元", "industry", None),
    ("park_jobs", "园区带动就业", "人", "industry", None),
    ("paired_villages", "企业和社会组织结对帮扶村", "个", "villages", None),
]

ROLE_PERMISSIONS = {
    "录入员": ["add_indicatorfigure", "change_indicatorfigure", "view_indicatorfigure"],
    "导入员": ["import_indicatorfigure", "view_indicatorfigure"],
    "查看者": ["view_indicatorfigure"],
}


def create_catalogue(apps, schema_editor):
    Indicator = apps.get_model("projects", "Indicator")
    by_code = {}
    for position, (code, name, unit, group, parent) in enumerate(CATALOGUE, start=1):
        by_code[code], _ = Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "group": group,
                "parent": by_code.get(parent),
                "position": position * 10,
            },
        )


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the roles need them now.
    app_config = apps.get_app_config("projects")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True  # create_permissions skips None
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="projects", codename__in=codenames)
        )
    administrators = Group.objects.filter(name="系统管理员").first()
    if administrators:
        administrators.permissions.set(Permission.objects.all())


def forwards(apps, schema_editor):
    create_catalogue(apps, schema_editor)
    grant(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("projects", "0008_indicators"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
