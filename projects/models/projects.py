"""Projects (项目), the registry's main record."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Q, Sum
from django.urls import reverse

from counties.models import (
    County,
    Village,
)
from personnel.models import Cadre

from .base import MONEY, ZERO, money_field, year_field, year_in_range
from .batches import ImportBatch
from .parks import IndustrialPark
from .programmes import Programme


class ProjectQuerySet(models.QuerySet):
    def get_by_natural_key(self, code):
        return self.get(code=code)

    def for_year(self, year):
        """Projects planned for a year; no join."""
        return self.filter(year=year)

    def with_place(self):
        """Joins county, prefecture, village and programme for display."""
        return self.select_related("county__prefecture", "village", "programme")

    def visible_to(self, scope):
        """Projects in counties inside the scope; no join."""
        return self.filter(scope.q())

    def yearly_sums(self):
        """Per year, latest first: the projects (`count`) and their Shanghai and other funds;
        one grouped query, no join."""
        money = models.DecimalField(**MONEY)
        return (
            self.order_by("-year")
            .values("year")
            .annotate(
                count=Count("pk"),
                shanghai_funds=Sum("shanghai_funds", default=ZERO, output_field=money),
                other_funds=Sum("other_funds", default=ZERO, output_field=money),
            )
        )


class Project(models.Model):
    class Category(models.TextChoices):
        INDUSTRY = "industry", "产业发展"
        EMPLOYMENT = "employment", "劳务协作"
        EDUCATION = "education", "教育帮扶"
        HEALTH = "health", "医疗帮扶"
        CONSUMPTION = "consumption", "消费帮扶"
        INFRASTRUCTURE = "infrastructure", "基础设施"
        VILLAGE = "village", "乡村建设"
        SOCIAL = "social", "社会帮扶"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        PLANNED = "planned", "计划"
        BUILDING = "building", "在建"
        COMPLETED = "completed", "完工"
        SUSPENDED = "suspended", "暂停"

    code = models.CharField("项目编号", max_length=40, unique=True)
    name = models.CharField("项目名称", max_length=200)
    county = models.ForeignKey(
        County, models.PROTECT, related_name="projects", verbose_name="县市区"
    )
    village = models.ForeignKey(
        Village,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name="村",
    )
    category = models.CharField("项目类别", max_length=16, choices=Category)
    year = year_field("年度")
    status = models.CharField("项目状态", max_length=10, choices=Status, default=Status.PLANNED)
    start_date = models.DateField("开工日期", null=True, blank=True)
    end_date = models.DateField("完工日期", null=True, blank=True)
    shanghai_funds = money_field("上海援助资金", default=ZERO)
    other_funds = money_field("其他资金", default=ZERO)
    beneficiaries = models.PositiveIntegerField("受益人数", null=True, blank=True)
    description = models.TextField("项目内容", blank=True)
    notes = models.TextField("备注", blank=True)
    cadres = models.ManyToManyField(
        Cadre, blank=True, related_name="projects", verbose_name="负责干部"
    )
    park = models.ForeignKey(
        IndustrialPark,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name="所属园区",
    )
    # PROTECT, as for the park: deleting a programme would otherwise change its projects
    # without an entry in their audit trail; staff take the projects out of it first.
    programme = models.ForeignKey(
        Programme,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name="所属项目群",
        help_text="同一县市区跨年度实施的一组项目，如示范村建设、核桃产业链。",
    )
    import_batch = models.ForeignKey(
        ImportBatch,
        models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="projects",
        verbose_name="最后写入的导入批次",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("最后修改", auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = "项目"
        verbose_name_plural = "项目"
        ordering = ["-year", "code"]
        permissions = [("import_project", "可以导入项目年度报表")]
        constraints = [
            models.CheckConstraint(
                condition=Q(shanghai_funds__gte=0),
                name="project_shanghai_funds_not_negative",
                violation_error_message="上海援助资金不能为负数。",
            ),
            models.CheckConstraint(
                condition=Q(other_funds__gte=0),
                name="project_other_funds_not_negative",
                violation_error_message="其他资金不能为负数。",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="project_dates_in_order",
                violation_error_message="完工日期不能早于开工日期。",
            ),
            models.CheckConstraint(
                condition=year_in_range("year"),
                name="project_year_range",
                violation_error_message="年度须在1996年至2100年之间。",
            ),
        ]
        # Both in the list's default order, so that a page reads its own rows only: all
        # projects or one year's, and one county's (or one county's in a year).
        indexes = [
            models.Index(fields=["-year", "code"], name="project_year_code_idx"),
            models.Index(fields=["county", "-year", "code"], name="project_county_year_code_idx"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("projects:detail", args=[self.code])

    def natural_key(self):
        return (self.code,)

    def clean(self):
        # What a project links to is in its county, so that whoever may see the project may
        # see them too. Its cadres (many-to-many, set after this) are checked by
        # cadres_elsewhere(), its allocations by FundAllocation.clean().
        errors = {}
        if self.village_id and self.county_id and self.village.county_id != self.county_id:
            errors["village"] = (
                "所选村不在该县市区。%(village)s位于%(place)s，项目在%(county)s。"
                % {
                    "village": self.village.township + self.village.name,
                    "place": self.village.county,
                    "county": self.county,
                }
            )
        if self.park_id and self.county_id and self.park.county_id != self.county_id:
            errors["park"] = "所选园区不在该县市区。%(park)s位于%(place)s，项目在%(county)s。" % {
                "park": self.park,
                "place": self.park.county,
                "county": self.county,
            }
        if self.programme_id and self.county_id and self.programme.county_id != self.county_id:
            errors["programme"] = (
                "所选项目群不属于该县市区。%(programme)s属于%(place)s，项目在%(county)s。"
                % {
                    "programme": self.programme.name,
                    "place": self.programme.county,
                    "county": self.county,
                }
            )
        if errors:
            raise ValidationError(errors)


def cadres_elsewhere(county, cadres):
    """A message for each of the cadres posted neither to the county nor to its whole
    prefecture, who cannot be responsible for a project there. A project's cadres are set
    after its clean(), so its forms call this with the cadres chosen."""
    return [
        "干部“%(cadre)s”派驻在%(place)s，不能负责%(county)s的项目："
        "负责干部须派驻在%(county)s或%(prefecture)s。"
        % {
            "cadre": cadre.name,
            "place": cadre.county or cadre.prefecture,
            "county": county,
            "prefecture": county.prefecture,
        }
        for cadre in cadres
        if not cadre.serves(county)
    ]
