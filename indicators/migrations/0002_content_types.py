"""The content types of the moved models follow them to indicators, so that their
permissions (and the roles holding them) and their audit entries follow too: the rows are
relabelled, not recreated."""

from django.db import migrations

MODELS = ["indicator", "indicatorfigure"]


def move(apps, schema_editor, source="projects", target="indicators"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    AuditEntry = apps.get_model("counties", "AuditEntry")
    for model in MODELS:
        old = ContentType.objects.filter(app_label=source, model=model).first()
        if old is None:
            continue
        new = ContentType.objects.filter(app_label=target, model=model).first()
        if new is None:
            old.app_label = target
            old.save(update_fields=["app_label"])
            continue
        # Both exist (a content type made for the new label before this ran): keep the old
        # rows' permissions and entries, which the roles and the history point at.
        Permission.objects.filter(content_type=new).delete()
        Permission.objects.filter(content_type=old).update(content_type=new)
        AuditEntry.objects.filter(content_type=old).update(content_type=new)
        old.delete()


def back(apps, schema_editor):
    move(apps, schema_editor, source="indicators", target="projects")


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("counties", "0005_audit_entry_place"),
        ("indicators", "0001_initial"),
    ]

    operations = [migrations.RunPython(move, back)]
