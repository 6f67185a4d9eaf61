"""The cooperation indicators move to their own app, indicators: removed here from Django's
state only, no table is touched (see indicators/migrations/0001_initial.py)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0012_audit_entry_places"),
    ]

    operations = [
        # The tables stay where they are (indicators pins their names); only Django's view
        # of which app owns them moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="indicatorfigure",
                    name="indicator",
                ),
                migrations.RemoveField(
                    model_name="indicatorfigure",
                    name="county",
                ),
                migrations.RemoveField(
                    model_name="indicatorfigure",
                    name="district",
                ),
                migrations.RemoveField(
                    model_name="indicatorfigure",
                    name="import_batch",
                ),
                migrations.RemoveField(
                    model_name="indicatorfigure",
                    name="prefecture",
                ),
                migrations.DeleteModel(
                    name="Indicator",
                ),
                migrations.DeleteModel(
                    name="IndicatorFigure",
                ),
            ],
        ),
    ]
