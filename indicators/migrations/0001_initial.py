"""The indicators, moved from projects with their tables (projects_indicator,
projects_indicatorfigure): state only."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("counties", "0005_audit_entry_place"),
        ("projects", "0013_indicators_move_out"),
    ]

    operations = [
        # The tables exist already, made by projects' migrations under these names.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Indicator",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "code",
                            models.SlugField(max_length=40, unique=True, verbose_name="指标代码"),
                        ),
                        (
                            "name",
                            models.CharField(max_length=60, unique=True, verbose_name="指标名称"),
                        ),
                        ("unit", models.CharField(max_length=10, verbose_name="计量单位")),
                        (
                            "group",
                            models.CharField(
                                choices=[
                                    ("funds", "资金帮扶"),
                                    ("talent", "人才支援"),
                                    ("labour", "劳务协作"),
                                    ("industry", "产业合作"),
                                    ("consumption", "消费帮扶"),
                                    ("villages", "村企结对"),
                                ],
                                max_length=12,
                                verbose_name="类别",
                            ),
                        ),
                        (
                            "position",
                            models.PositiveSmallIntegerField(default=0, verbose_name="排序"),
                        ),
                        (
                            "parent",
                            models.ForeignKey(
                                blank=True,
                                help_text="“其中”项填写：如“到上海就业”属于“帮助农村劳动力就业”。",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="parts",
                                to="indicators.indicator",
                                verbose_name="所属指标",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "协作指标",
                        "verbose_name_plural": "协作指标",
                        "db_table": "projects_indicator",
                        "ordering": ["position", "code"],
                    },
                ),
                migrations.CreateModel(
                    name="IndicatorFigure",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "year",
                            models.PositiveSmallIntegerField(
                                validators=[
                                    django.core.validators.MinValueValidator(
                                        1996, "年度不能早于1996年。"
                                    )
                                ],
                                verbose_name="年度",
                            ),
                        ),
                        (
                            "level",
                            models.CharField(
                                choices=[
                                    ("province", "全省"),
                                    ("prefecture", "州市"),
                                    ("county", "县市区"),
                                    ("pairing", "上海区结对"),
                                ],
                                max_length=10,
                                verbose_name="层级",
                            ),
                        ),
                        (
                            "target",
                            models.DecimalField(
                                blank=True,
                                decimal_places=4,
                                max_digits=16,
                                null=True,
                                verbose_name="协议数",
                            ),
                        ),
                        (
                            "result",
                            models.DecimalField(
                                blank=True,
                                decimal_places=4,
                                max_digits=16,
                                null=True,
                                verbose_name="完成数",
                            ),
                        ),
                        ("note", models.TextField(blank=True, verbose_name="备注")),
                        (
                            "updated_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="最后修改"
                            ),
                        ),
                        (
                            "county",
                            models.ForeignKey(
                                blank=True,
                                help_text="层级为县市区时填写。",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="indicator_figures",
                                to="counties.county",
                                verbose_name="县市区",
                            ),
                        ),
                        (
                            "district",
                            models.ForeignKey(
                                blank=True,
                                help_text="层级为上海区结对时填写：该区与其结对县的协议。",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="indicator_figures",
                                to="counties.shanghaidistrict",
                                verbose_name="上海结对区",
                            ),
                        ),
                        (
                            "import_batch",
                            models.ForeignKey(
                                blank=True,
                                editable=False,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="indicator_figures",
                                to="projects.importbatch",
                                verbose_name="最后写入的导入批次",
                            ),
                        ),
                        (
                            "indicator",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="figures",
                                to="indicators.indicator",
                                verbose_name="指标",
                            ),
                        ),
                        (
                            "prefecture",
                            models.ForeignKey(
                                blank=True,
                                help_text="层级为州市时填写。",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="indicator_figures",
                                to="counties.prefecture",
                                verbose_name="州市",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "指标数据",
                        "verbose_name_plural": "指标数据",
                        "db_table": "projects_indicatorfigure",
                        "ordering": ["-year", "indicator__position", "level", "pk"],
                        "permissions": [("import_indicatorfigure", "可以导入协作指标报表")],
                        "indexes": [
                            models.Index(fields=["year", "level"], name="figure_year_level_idx")
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(
                                        ("county__isnull", True),
                                        ("district__isnull", True),
                                        ("level", "province"),
                                        ("prefecture__isnull", True),
                                    ),
                                    models.Q(
                                        ("county__isnull", True),
                                        ("district__isnull", True),
                                        ("level", "prefecture"),
                                        ("prefecture__isnull", False),
                                    ),
                                    models.Q(
                                        ("county__isnull", False),
                                        ("district__isnull", True),
                                        ("level", "county"),
                                        ("prefecture__isnull", True),
                                    ),
                                    models.Q(
                                        ("county__isnull", True),
                                        ("district__isnull", False),
                                        ("level", "pairing"),
                                        ("prefecture__isnull", True),
                                    ),
                                    _connector="OR",
                                ),
                                name="figure_place_matches_level",
                                violation_error_message="地点须与层级一致：全省不填地点；州市、县市区、上海结对区各只填对应的一项。",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("target__isnull", False),
                                    ("result__isnull", False),
                                    _connector="OR",
                                ),
                                name="figure_has_a_number",
                                violation_error_message="协议数和完成数至少填写一项。",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(
                                        ("target__isnull", True),
                                        ("target__gte", 0),
                                        _connector="OR",
                                    ),
                                    models.Q(
                                        ("result__isnull", True),
                                        ("result__gte", 0),
                                        _connector="OR",
                                    ),
                                ),
                                name="figure_not_negative",
                                violation_error_message="协议数和完成数不能为负数。",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("year__gte", 1996), ("year__lte", 2100)),
                                name="figure_year_range",
                                violation_error_message="年度须在1996年至2100年之间。",
                            ),
                            models.UniqueConstraint(
                                condition=models.Q(("level", "province")),
                                fields=("indicator", "year"),
                                name="figure_unique_province",
                                violation_error_message="该指标在该年度、该地点已有数据，请修改原有记录。",
                            ),
                            models.UniqueConstraint(
                                condition=models.Q(("level", "prefecture")),
                                fields=("indicator", "year", "prefecture"),
                                name="figure_unique_prefecture",
                                violation_error_message="该指标在该年度、该地点已有数据，请修改原有记录。",
                            ),
                            models.UniqueConstraint(
                                condition=models.Q(("level", "county")),
                                fields=("indicator", "year", "county"),
                                name="figure_unique_county",
                                violation_error_message="该指标在该年度、该地点已有数据，请修改原有记录。",
                            ),
                            models.UniqueConstraint(
                                condition=models.Q(("level", "pairing")),
                                fields=("indicator", "year", "district"),
                                name="figure_unique_pairing",
                                violation_error_message="该指标在该年度、该地点已有数据，请修改原有记录。",
                            ),
                        ],
                    },
                ),
            ],
        ),
    ]
