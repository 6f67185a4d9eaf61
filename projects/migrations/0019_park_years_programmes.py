"""Parks' yearly records (园区年度情况), the enterprises of a park, and programmes (项目群) with
their projects. The parks' totals move into yearly records in 0020 and go in 0021."""

from decimal import Decimal

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("counties", "0008_password_to_change"),
        ("institutions", "0002_roles"),
        ("projects", "0018_registry_kinds"),
    ]

    operations = [
        migrations.CreateModel(
            name="IndustrialParkYear",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "year",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1996, "年度不能早于1996年。")
                        ],
                        verbose_name="年度",
                    ),
                ),
                (
                    "enterprises",
                    models.PositiveIntegerField(
                        default=0,
                        help_text="当年入驻园区的企业家数。",
                        verbose_name="入驻企业（家）",
                    ),
                ),
                (
                    "investment",
                    models.DecimalField(
                        decimal_places=4,
                        default=Decimal("0"),
                        help_text="入驻企业当年实际到位的投资。",
                        max_digits=16,
                        validators=[
                            django.core.validators.MinValueValidator(
                                Decimal("0"), "金额不能为负数。"
                            )
                        ],
                        verbose_name="企业到位投资（万元）",
                    ),
                ),
                (
                    "construction_investment",
                    models.DecimalField(
                        decimal_places=4,
                        default=Decimal("0"),
                        help_text="当年投入园区基础设施和厂房等建设的资金。",
                        max_digits=16,
                        validators=[
                            django.core.validators.MinValueValidator(
                                Decimal("0"), "金额不能为负数。"
                            )
                        ],
                        verbose_name="园区建设投资（万元）",
                    ),
                ),
                ("jobs", models.PositiveIntegerField(default=0, verbose_name="带动就业（人）")),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="备注")),
            ],
            options={
                "verbose_name": "园区年度情况",
                "verbose_name_plural": "园区年度情况",
                "ordering": ["park_id", "year"],
            },
        ),
        migrations.CreateModel(
            name="Programme",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="如某村乡村振兴示范村建设。",
                        max_length=100,
                        verbose_name="项目群名称",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("village", "示范村建设"),
                            ("value_chain", "产业链"),
                            ("park", "园区建设"),
                            ("other", "其他"),
                        ],
                        default="other",
                        max_length=12,
                        verbose_name="类型",
                    ),
                ),
                (
                    "first_year",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(1996, "年度不能早于1996年。")
                        ],
                        verbose_name="起始年度",
                    ),
                ),
                (
                    "last_year",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="仍在实施的留空。",
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(1996, "年度不能早于1996年。")
                        ],
                        verbose_name="截止年度",
                    ),
                ),
                ("description", models.TextField(blank=True, verbose_name="简介")),
            ],
            options={
                "verbose_name": "项目群",
                "verbose_name_plural": "项目群",
                "ordering": ["county__code", "name"],
            },
        ),
        migrations.AddField(
            model_name="industrialpark",
            name="companies",
            field=models.ManyToManyField(
                blank=True,
                help_text="已登记为机构（类别：企业）的入驻企业，选填；入驻企业家数按年度情况填写。",
                limit_choices_to={"kind": "enterprise"},
                related_name="parks",
                to="institutions.institution",
                verbose_name="入驻企业名录",
            ),
        ),
        migrations.AddField(
            model_name="industrialparkyear",
            name="park",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="years",
                to="projects.industrialpark",
                verbose_name="园区",
            ),
        ),
        migrations.AddField(
            model_name="programme",
            name="county",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="programmes",
                to="counties.county",
                verbose_name="县市区",
            ),
        ),
        migrations.AddField(
            model_name="project",
            name="programme",
            field=models.ForeignKey(
                blank=True,
                help_text="同一县市区跨年度实施的一组项目，如示范村建设、核桃产业链。",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="projects",
                to="projects.programme",
                verbose_name="所属项目群",
            ),
        ),
        migrations.AddConstraint(
            model_name="industrialparkyear",
            constraint=models.UniqueConstraint(
                fields=("park", "year"),
                name="park_year_unique",
                violation_error_message="该园区已有这一年度的年度情况。",
            ),
        ),
        migrations.AddConstraint(
            model_name="industrialparkyear",
            constraint=models.CheckConstraint(
                condition=models.Q(("year__gte", 1996), ("year__lte", 2100)),
                name="park_year_year_range",
                violation_error_message="年度须在1996年至2100年之间。",
            ),
        ),
        migrations.AddConstraint(
            model_name="industrialparkyear",
            constraint=models.CheckConstraint(
                condition=models.Q(("enterprises__gte", 0)),
                name="park_year_enterprises_not_negative",
                violation_error_message="入驻企业家数不能为负数。",
            ),
        ),
        migrations.AddConstraint(
            model_name="industrialparkyear",
            constraint=models.CheckConstraint(
                condition=models.Q(("investment__gte", 0)),
                name="park_year_investment_not_negative",
                violation_error_message="企业到位投资不能为负数。",
            ),
        ),
        migrations.AddConstraint(
            model_name="industrialparkyear",
            constraint=models.CheckConstraint(
                condition=models.Q(("construction_investment__gte", 0)),
                name="park_year_construction_not_negative",
                violation_error_message="园区建设投资不能为负数。",
            ),
        ),
        migrations.AddConstraint(
            model_name="industrialparkyear",
            constraint=models.CheckConstraint(
                condition=models.Q(("jobs__gte", 0)),
                name="park_year_jobs_not_negative",
                violation_error_message="带动就业人数不能为负数。",
            ),
        ),
        migrations.AddConstraint(
            model_name="programme",
            constraint=models.UniqueConstraint(
                fields=("county", "name"),
                name="programme_name_unique_in_county",
                violation_error_message="该县市区已有同名项目群。",
            ),
        ),
        migrations.AddConstraint(
            model_name="programme",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("first_year__isnull", True),
                    models.Q(("first_year__gte", 1996), ("first_year__lte", 2100)),
                    _connector="OR",
                ),
                name="programme_first_year_range",
                violation_error_message="起始年度须在1996年至2100年之间。",
            ),
        ),
        migrations.AddConstraint(
            model_name="programme",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("last_year__isnull", True),
                    models.Q(("last_year__gte", 1996), ("last_year__lte", 2100)),
                    _connector="OR",
                ),
                name="programme_last_year_range",
                violation_error_message="截止年度须在1996年至2100年之间。",
            ),
        ),
        migrations.AddConstraint(
            model_name="programme",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("first_year__isnull", True),
                    ("last_year__isnull", True),
                    ("last_year__gte", models.F("first_year")),
                    _connector="OR",
                ),
                name="programme_years_in_order",
                violation_error_message="截止年度不能早于起始年度。",
            ),
        ),
    ]
