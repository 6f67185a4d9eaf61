"""The cooperation indicators (协作指标): what is agreed each year and what was achieved.

An IndicatorFigure holds the target (协议数) and the reported result (完成数) of one
indicator, in one year, for one place: the province, a prefecture, a county, or a Shanghai
district's pairing. Results the registry can count from its own records (money from funds,
cadres, parks) are computed by indicators.scorecard and shown beside the reported ones.

The models live in this module, imported by projects.models, to keep that file to one topic.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from counties.models import County, Prefecture, ShanghaiDistrict
from projects.models import MONEY, ImportBatch, year_field, year_in_range


class IndicatorQuerySet(models.QuerySet):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Indicator(models.Model):
    """One measure the pairing agreements set a target for, e.g. 帮助农村劳动力就业（人）."""

    class Group(models.TextChoices):
        FUNDS = "funds", "资金帮扶"
        TALENT = "talent", "人才支援"
        LABOUR = "labour", "劳务协作"
        INDUSTRY = "industry", "产业合作"
        CONSUMPTION = "consumption", "消费帮扶"
        VILLAGES = "villages", "村企结对"

    code = models.SlugField("指标代码", max_length=40, unique=True, allow_unicode=False)
    name = models.CharField("指标名称", max_length=60, unique=True)
    unit = models.CharField("计量单位", max_length=10)
    group = models.CharField("类别", max_length=12, choices=Group)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
        verbose_name="所属指标",
        help_text="“其中”项填写：如“到上海就业”属于“帮助农村劳动力就业”。",
    )
    position = models.PositiveSmallIntegerField("排序", default=0)
    aliases = models.TextField(
        "其他写法",
        blank=True,
        help_text="报表中对本指标的其他写法，每行一个；导入时与指标名称同样识别。",
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        # The table keeps the name it was created with in projects (moved without a copy).
        db_table = "projects_indicator"
        verbose_name = "协作指标"
        verbose_name_plural = "协作指标"
        ordering = ["position", "code"]

    def __str__(self):
        return f"{self.name}（{self.unit}）"

    def natural_key(self):
        return (self.code,)

    def alias_list(self):
        """The other names staff listed, one per line."""
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


class IndicatorFigureQuerySet(models.QuerySet):
    def for_year(self, year):
        """The figures of one year; no join."""
        return self.filter(year=year)

    def with_place(self):
        """Joins the indicator and the place for display."""
        return self.select_related("indicator", "prefecture", "county__prefecture", "district")

    def visible_to(self, scope):
        """Figures of counties inside the scope and of prefectures it holds whole; those of
        the province and of pairings only with a province-wide scope. No join."""
        return self.filter(scope.q(prefecture="prefecture"))


class IndicatorFigure(models.Model):
    """The target and result of one indicator, one year, one place."""

    class Level(models.TextChoices):
        PROVINCE = "province", "全省"
        PREFECTURE = "prefecture", "州市"
        COUNTY = "county", "县市区"
        PAIRING = "pairing", "上海区结对"

    indicator = models.ForeignKey(
        Indicator, models.PROTECT, related_name="figures", verbose_name="指标"
    )
    year = year_field("年度")
    level = models.CharField("层级", max_length=10, choices=Level)
    prefecture = models.ForeignKey(
        Prefecture,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="indicator_figures",
        verbose_name="州市",
        help_text="层级为州市时填写。",
    )
    county = models.ForeignKey(
        County,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="indicator_figures",
        verbose_name="县市区",
        help_text="层级为县市区时填写。",
    )
    district = models.ForeignKey(
        ShanghaiDistrict,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="indicator_figures",
        verbose_name="上海结对区",
        help_text="层级为上海区结对时填写：该区与其结对县的协议。",
    )
    target = models.DecimalField("协议数", null=True, blank=True, **MONEY)
    result = models.DecimalField("完成数", null=True, blank=True, **MONEY)
    note = models.TextField("备注", blank=True)
    import_batch = models.ForeignKey(
        ImportBatch,
        models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="indicator_figures",
        verbose_name="最后写入的导入批次",
    )
    updated_at = models.DateTimeField("最后修改", default=timezone.now)

    objects = IndicatorFigureQuerySet.as_manager()

    class Meta:
        db_table = "projects_indicatorfigure"
        verbose_name = "指标数据"
        verbose_name_plural = "指标数据"
        ordering = ["-year", "indicator__position", "level", "pk"]
        permissions = [("import_indicatorfigure", "可以导入协作指标报表")]
        # A dashboard reads one year's figures; the unique constraints lead with the indicator.
        indexes = [models.Index(fields=["year", "level"], name="figure_year_level_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    level="province",
                    prefecture__isnull=True,
                    county__isnull=True,
                    district__isnull=True,
                )
                | Q(
                    level="prefecture",
                    prefecture__isnull=False,
                    county__isnull=True,
                    district__isnull=True,
                )
                | Q(
                    level="county",
                    prefecture__isnull=True,
                    county__isnull=False,
                    district__isnull=True,
                )
                | Q(
                    level="pairing",
                    prefecture__isnull=True,
                    county__isnull=True,
                    district__isnull=False,
                ),
                name="figure_place_matches_level",
                violation_error_message="地点须与层级一致：全省不填地点；州市、县市区、"
                "上海结对区各只填对应的一项。",
            ),
            models.CheckConstraint(
                condition=Q(target__isnull=False) | Q(result__isnull=False),
                name="figure_has_a_number",
                violation_error_message="协议数和完成数至少填写一项。",
            ),
            models.CheckConstraint(
                condition=(Q(target__isnull=True) | Q(target__gte=0))
                & (Q(result__isnull=True) | Q(result__gte=0)),
                name="figure_not_negative",
                violation_error_message="协议数和完成数不能为负数。",
            ),
            models.CheckConstraint(
                condition=year_in_range("year"),
                name="figure_year_range",
                violation_error_message="年度须在1996年至2100年之间。",
            ),
            *[
                models.UniqueConstraint(
                    fields=["indicator", "year", *place],
                    condition=Q(level=level),
                    name="figure_unique_%s" % level,
                    violation_error_message="该指标在该年度、该地点已有数据，请修改原有记录。",
                )
                for level, place in [
                    ("province", []),
                    ("prefecture", ["prefecture"]),
                    ("county", ["county"]),
                    ("pairing", ["district"]),
                ]
            ],
        ]

    def __str__(self):
        return f"{self.year}年 {self.place_name} {self.indicator.name}"

    @property
    def place(self):
        return self.county or self.prefecture or self.district

    @property
    def place_name(self):
        place = self.place
        return place.name if place else "全省"
