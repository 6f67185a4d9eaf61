"""Funds (资金) and their allocations to projects."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from counties.models import (
    County,
    moved_from,
    projects_named,
)

from .base import MONEY, ZERO, money_field, plain, year_field, year_in_range
from .projects import Project


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

    def visible_to(self, scope):
        """Funds for counties inside the scope; no join."""
        return self.filter(scope.q())


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


# The sources that are Shanghai's aid: what a project's 上海援助资金 counts, and so what its
# allocations of them may not exceed (FundAllocation.clean, projects.forms.AllocationFormSet,
# the import's checks.allocated).
SHANGHAI_SOURCES = (Fund.Source.CITY, Fund.Source.DISTRICT)


def beyond_shanghai_funds(project, allocated, entered=None):
    """The refusal of Shanghai allocations summing to `allocated` (万元) on `project`, or
    None when they fit its 上海援助资金; `entered`: the part typed on the form."""
    if allocated <= project.shanghai_funds:
        return None
    entered = "（本次填写%s万元）" % plain(entered) if entered is not None else ""
    return (
        "超出项目的上海援助资金：该项目上海援助资金%(funds)s万元，分配给它的上海财政资金"
        "合计%(allocated)s万元%(entered)s，超出%(over)s万元。请核对分配金额或项目的上海援助资金。"
        % {
            "funds": plain(project.shanghai_funds),
            "allocated": plain(allocated),
            "entered": entered,
            "over": plain(allocated - project.shanghai_funds),
        }
    )


def shanghai_allocated(project, excluding=()):
    """What the stored Shanghai allocations of `project` sum to, but those of `excluding`."""
    if project.pk is None:
        return ZERO
    allocations = FundAllocation.objects.filter(
        project=project, fund__source__in=SHANGHAI_SOURCES
    ).exclude(pk__in=[pk for pk in excluding if pk])
    return allocations.aggregate(total=Sum("amount"))["total"] or ZERO


class FundAllocationQuerySet(models.QuerySet):
    def visible_to(self, scope):
        """Allocations whose project and fund are both in counties inside the scope; joins
        project and fund."""
        return self.filter(scope.q("project__county"), scope.q("fund__county"))


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

    objects = FundAllocationQuerySet.as_manager()

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
        # A project's own allocation rows are summed together by AllocationFormSet.
        summed = getattr(self, "summed_by_formset", False)
        if project and self.fund.source in SHANGHAI_SOURCES and not summed:
            allocated = shanghai_allocated(project, excluding=[self.pk]) + self.amount
            refusal = beyond_shanghai_funds(project, allocated)
            if refusal:
                raise ValidationError({"amount": refusal})
