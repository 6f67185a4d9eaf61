"""The parks' totals go: their yearly records (0020) hold what they achieved. Apart from
0020 so that, on PostgreSQL, the records it wrote are committed before the table changes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0020_park_totals_to_years"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="industrialpark",
            name="park_investment_not_negative",
        ),
        migrations.RemoveField(
            model_name="industrialpark",
            name="enterprises",
        ),
        migrations.RemoveField(
            model_name="industrialpark",
            name="investment",
        ),
        migrations.RemoveField(
            model_name="industrialpark",
            name="jobs",
        ),
    ]
