from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from counties.models import (
    FIRST_YEAR,
    LAST_YEAR,
    AuditEntry,
    County,
    Scope,
    ShanghaiDistrict,
    Village,
    moved_from,
    projects_named,
)
from personnel.models import Cadre

# Amounts are 万元 as the reports write them; four decimals keep them exact to the yuan.
MONEY = {"max_digits": 16, "decimal_places": 4}
ZERO = Decimal("0")


def plain(amount):
    """An amount without trailing zeros or exponent: Decimal("169.4100") → "169.41"."""
    return f"{amount.normalize():f}"


def money_field(label, **kwargs):
    return models.DecimalField(
        f"{label}（万元）",
        validators=[MinValueValidator(ZERO, "金额不能为负数。")],
        **MONEY,
        **kwargs,
    )


def year_field(label, **kwargs):
    return models.PositiveSmallIntegerField(
        label,
        validators=[
            MinValueValidator(FIRST_YEAR, "年度不能早于1996年。"),
        ],
        **kwargs,
    )


def year_in_range(field):
    return Q(**{f"{field}__gte": FIRST_YEAR, f"{field}__lte": LAST_YEAR})


class IndustrialPark(models.Model):
    """A park co-built by Shanghai and Yunnan (沪滇共建产业园区)."""

    name = models.CharField("园区名称", max_length=100, unique=True)
    county = models.ForeignKey(
        County, models.PROTECT, related_name="parks", verbose_name="所在县市区"
    )
    partner_district = models.ForeignKey(
        ShanghaiDistrict,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="parks",
        verbose_name="上海结对区",
    )
    partner_name = models.CharField(
        "上海合作方", max_length=100, blank=True, help_text="共建企业或单位，如临港集团。"
    )
    year_founded = year_field("设立年度")
    enterprises = models.PositiveIntegerField("入驻企业（家）", default=0)
    investment = money_field("累计投资", default=ZERO)
    jobs = models.PositiveIntegerField("带动就业（人）", default=0)
    is_demonstration = models.BooleanField("示范园区", default=False)
    description = models.TextField("简介", blank=True)

    class Meta:
        verbose_name = "共建产业园区"
        verbose_name_plural = "共建产业园区"
        ordering = ["county__code", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(investment__gte=0),
                name="park_investment_not_negative",
                violation_error_message="累计投资不能为负数。",
            ),
            models.CheckConstraint(
                condition=year_in_range("year_founded"),
                name="park_year_range",
                violation_error_message="设立年度须在1996年至2100年之间。",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("parks:detail", args=[self.pk])

    def clean(self):
        # A project and its park are in one county (Project.clean).
        if self.county_id and moved_from(self) not in (None, self.county_id):
            elsewhere = self.projects.exclude(county_id=self.county_id)
            if elsewhere.exists():
                raise ValidationError(
                    {
                        "county": "园区内登记有%(projects)s，所在县市区不能改为%(county)s："
                        "项目须与所属园区在同一县市区，请先在这些项目中取消所属园区。"
                        % {"projects": projects_named(elsewhere), "county": self.county}
                    }
                )


class ImportBatchQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The batches whose every written record is inside the user's scope (by their audit
        entries' places); a batch that wrote nothing, to its importer and province-wide users
        only. Superusers see all. Subqueries on the audit trail, no join."""
        if user.is_superuser:
            return self
        written = AuditEntry.objects.filter(import_batch_id=OuterRef("pk"))
        outside = AuditEntry.objects.outside(user).filter(import_batch_id=OuterRef("pk"))
        everywhere = Scope.objects.filter(user=user, everywhere=True).exists()
        shown = Q(Exists(written)) | Q(user=user) if not everywhere else Q()
        return self.filter(~Exists(outside)).filter(shown)


class ImportBatch(models.Model):
    """One file imported: who, when, which file, and what it did."""

    class Kind(models.TextChoices):
        YEARLY_REPORT = "yearly_report", "项目年度报表"
        INDICATOR_REPORT = "indicator_report", "协作指标报表"

    class Channel(models.TextChoices):
        ADMIN = "admin", "管理后台"
        COMMAND = "command", "命令行"

    kind = models.CharField("报表类型", max_length=20, choices=Kind)
    channel = models.CharField("导入途径", max_length=10, choices=Channel)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="import_batches",
        verbose_name="导入人",
    )
    file_name = models.CharField("文件名", max_length=255)
    file_sha256 = models.CharField("文件SHA-256", max_length=64)
    imported_at = models.DateTimeField("导入时间", default=timezone.now)
    rows = models.PositiveIntegerField("数据行数", default=0)
    created = models.PositiveIntegerField("新增", default=0)
    updated = models.PositiveIntegerField("更新", default=0)
    unchanged = models.PositiveIntegerField("未变", default=0)
    rolled_back_at = models.DateTimeField("撤销时间", null=True, blank=True)
    rolled_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="撤销人",
    )

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = "导入批次"
        verbose_name_plural = "导入批次"
        ordering = ["-imported_at", "-pk"]

    def __str__(self):
        return f"{self.imported_at:%Y-%m-%d %H:%M} {self.file_name}"


class ProjectQuerySet(models.QuerySet):
    def get_by_natural_key(self, code):
        return self.get(code=code)

    def for_year(self, year):
        """Projects planned for a year; no join."""
        return self.filter(year=year)

    def with_place(self):
        """Joins county, prefecture and village for display."""
        return self.select_related("county__prefecture", "village")


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


class FundQuerySet(models.QuerySet):
    def with_allocated(self):
        """Annotates allocated and remaining money, each fund's allocations summed in a
        correlated subquery (no GROUP BY: a page of funds sums only its own allocations)."""
        allocated = (
            FundAllocation.objects.filter(fund=OuterRef("pk"))
            .order_by()
            .values("fund")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        return self.annotate(
            allocated=Coalesce(Subquery(allocated), ZERO, output_field=models.DecimalField(**MONEY))
        ).annotate(remaining=F("amount") - F("allocated"))

    def totals(self):
        """Count, amount, allocated and remaining money over the funds: two plain sums, one
        over the funds and one over their allocations joined to them."""
        totals = self.aggregate(
            rows=Count("pk"),
            amount_total=Sum("amount", default=ZERO, output_field=models.DecimalField(**MONEY)),
        )
        allocated = FundAllocation.objects.filter(fund__in=self.values("pk")).aggregate(
            total=Sum("amount", default=ZERO, output_field=models.DecimalField(**MONEY))
        )["total"]
        totals["allocated_total"] = allocated
        totals["remaining_total"] = totals["amount_total"] - allocated
        return totals


class Fund(models.Model):
    """Money from one source for one county in one year, to be allocated to projects."""

    class Source(models.TextChoices):
        CITY = "city", "上海市级财政援助"
        DISTRICT = "district", "区级财政援助"
        SOCIAL = "social", "社会帮扶"
        ENTERPRISE = "enterprise", "企业投资"
        LOCAL = "local", "云南地方配套"

    source = models.CharField("资金来源", max_length=12, choices=Source)
    year = year_field("年度")
    county = models.ForeignKey(
        County, models.PROTECT, related_name="funds", verbose_name="受援县市区"
    )
    amount = money_field("金额")
    donor = models.CharField("出资单位", max_length=100, blank=True, help_text="已知时填写。")
    document = models.CharField(
        "文号", max_length=100, blank=True, help_text="下达资金的文件文号。"
    )

    objects = FundQuerySet.as_manager()

    class Meta:
        verbose_name = "资金"
        verbose_name_plural = "资金"
        ordering = ["-year", "county__code", "source"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="fund_amount_not_negative",
                violation_error_message="金额不能为负数。",
            ),
            models.CheckConstraint(
                condition=year_in_range("year"),
                name="fund_year_range",
                violation_error_message="年度须在1996年至2100年之间。",
            ),
        ]
        # The fund list sorts one year's funds (a few thousand), not all of them, for a page.
        indexes = [models.Index(fields=["-year"], name="fund_year_idx")]

    def __str__(self):
        donor = f"·{self.donor}" if self.donor else ""
        source = self.get_source_display()
        return f"{self.year}年 {self.county} {source}{donor} {plain(self.amount)}万元"

    def clean(self):
        # A fund goes to projects of its own county (FundAllocation.clean).
        if self.county_id and moved_from(self) not in (None, self.county_id):
            elsewhere = Project.objects.filter(pk__in=self.allocations.values("project")).exclude(
                county_id=self.county_id
            )
            if elsewhere.exists():
                raise ValidationError(
                    {
                        "county": "该资金已分配给%(projects)s，受援县市区不能改为%(county)s："
                        "资金只能分配给本县市区的项目，请先删除这些资金分配。"
                        % {"projects": projects_named(elsewhere), "county": self.county}
                    }
                )
        if self.pk and self.amount is not None:
            allocated = self.allocations.aggregate(total=Sum("amount"))["total"] or ZERO
            if self.amount < allocated:
                raise ValidationError(
                    {
                        "amount": "该资金已分配%(allocated)s万元，金额不能低于已分配数。"
                        % {"allocated": plain(allocated)}
                    }
                )


class FundAllocation(models.Model):
    """Part of a fund assigned to a project; a fund's allocations never exceed the fund."""

    fund = models.ForeignKey(Fund, models.PROTECT, related_name="allocations", verbose_name="资金")
    project = models.ForeignKey(
        Project, models.PROTECT, related_name="allocations", verbose_name="项目"
    )
    amount = models.DecimalField(
        "分配金额（万元）",
        validators=[MinValueValidator(Decimal("0.0001"), "分配金额须大于零。")],
        **MONEY,
    )

    class Meta:
        verbose_name = "资金分配"
        verbose_name_plural = "资金分配"
        ordering = ["fund", "project"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "project"],
                name="allocation_unique_fund_project",
                violation_error_message="同一笔资金对同一项目只能有一条分配记录。",
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="allocation_amount_positive",
                violation_error_message="分配金额须大于零。",
            ),
        ]

    def __str__(self):
        return f"{self.fund} → {self.project.code}：{plain(self.amount)}万元"

    def clean(self):
        if self.fund_id is None:
            return
        try:
            # On the project add screen the project is the unsaved parent form's instance.
            project = self.project
        except Project.DoesNotExist:
            project = None
        if project and project.county_id and project.county_id != self.fund.county_id:
            raise ValidationError(
                {
                    "fund": "该资金拨付给%(fund_county)s，不能分配给%(project_county)s的项目。"
                    % {"fund_county": self.fund.county, "project_county": project.county}
                }
            )
        if self.amount is None:
            return
        others = self.fund.allocations.exclude(pk=self.pk).aggregate(total=Sum("amount"))["total"]
        others = others or ZERO
        if others + self.amount > self.fund.amount:
            raise ValidationError(
                {
                    "amount": "超出资金总额：该资金共%(total)s万元，其他项目已分配%(others)s万元，"
                    "最多还可分配%(left)s万元。"
                    % {
                        "total": plain(self.fund.amount),
                        "others": plain(others),
                        "left": plain(self.fund.amount - others),
                    }
                }
            )


# The cooperation indicators have a module of their own (a topic, and this file is long enough).
from .indicators import Indicator, IndicatorFigure  # noqa: E402, F401
