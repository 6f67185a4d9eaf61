"""Co-built industrial parks (共建产业园区) and their yearly records (园区年度情况)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse

from counties.models import (
    County,
    ShanghaiDistrict,
    moved_from,
    projects_named,
)
from institutions.models import Institution

from .base import ZERO, money_field, year_field, year_in_range

# What a park's yearly record counts, by field name; the park list shows the latest year's.
YEARLY_FIGURES = ["enterprises", "investment", "construction_investment", "jobs"]


class IndustrialParkQuerySet(models.QuerySet):
    def visible_to(self, scope):
        """Parks in counties inside the scope; no join."""
        return self.filter(scope.q())

    def with_latest_year(self):
        """Annotates each park with its latest yearly record: `latest_year` and that year's
        figures under the record's field names (enterprises, investment, …); one correlated
        subquery per figure, None for a park without a record."""
        latest = IndustrialParkYear.objects.filter(park=OuterRef("pk")).order_by("-year")
        return self.annotate(
            latest_year=Subquery(latest.values("year")[:1]),
            **{name: Subquery(latest.values(name)[:1]) for name in YEARLY_FIGURES},
        )


class IndustrialPark(models.Model):
    """A park co-built by Shanghai and Yunnan (沪滇共建产业园区). What it achieves is recorded
    year by year (IndustrialParkYear), which the dashboard counts."""

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
    is_demonstration = models.BooleanField("示范园区", default=False)
    description = models.TextField("简介", blank=True)
    companies = models.ManyToManyField(
        Institution,
        blank=True,
        related_name="parks",
        verbose_name="入驻企业名录",
        limit_choices_to={"kind": Institution.Kind.ENTERPRISE},
        help_text="已登记为机构（类别：企业）的入驻企业，选填；入驻企业家数按年度情况填写。",
    )

    objects = IndustrialParkQuerySet.as_manager()

    class Meta:
        verbose_name = "共建产业园区"
        verbose_name_plural = "共建产业园区"
        ordering = ["county__code", "name"]
        constraints = [
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


class IndustrialParkYearQuerySet(models.QuerySet):
    def for_year(self, year):
        """The records of one year; no join."""
        return self.filter(year=year)

    def visible_to(self, scope):
        """Records of parks in counties inside the scope; joins the park."""
        return self.filter(scope.q("park__county"))


class IndustrialParkYear(models.Model):
    """What a park achieved in one year (园区年度情况): the enterprises that settled in it,
    the investment they brought, what was invested in building it, and the jobs it gave."""

    park = models.ForeignKey(
        IndustrialPark, models.CASCADE, related_name="years", verbose_name="园区"
    )
    year = year_field("年度")
    enterprises = models.PositiveIntegerField(
        "入驻企业（家）", default=0, help_text="当年入驻园区的企业家数。"
    )
    investment = money_field("企业到位投资", default=ZERO, help_text="入驻企业当年实际到位的投资。")
    construction_investment = money_field(
        "园区建设投资", default=ZERO, help_text="当年投入园区基础设施和厂房等建设的资金。"
    )
    jobs = models.PositiveIntegerField("带动就业（人）", default=0)
    note = models.CharField("备注", max_length=200, blank=True)

    objects = IndustrialParkYearQuerySet.as_manager()

    class Meta:
        verbose_name = "园区年度情况"
        verbose_name_plural = "园区年度情况"
        ordering = ["park_id", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["park", "year"],
                name="park_year_unique",
                violation_error_message="该园区已有这一年度的年度情况。",
            ),
            models.CheckConstraint(
                condition=year_in_range("year"),
                name="park_year_year_range",
                violation_error_message="年度须在1996年至2100年之间。",
            ),
            models.CheckConstraint(
                condition=Q(enterprises__gte=0),
                name="park_year_enterprises_not_negative",
                violation_error_message="入驻企业家数不能为负数。",
            ),
            models.CheckConstraint(
                condition=Q(investment__gte=0),
                name="park_year_investment_not_negative",
                violation_error_message="企业到位投资不能为负数。",
            ),
            models.CheckConstraint(
                condition=Q(construction_investment__gte=0),
                name="park_year_construction_not_negative",
                violation_error_message="园区建设投资不能为负数。",
            ),
            models.CheckConstraint(
                condition=Q(jobs__gte=0),
                name="park_year_jobs_not_negative",
                violation_error_message="带动就业人数不能为负数。",
            ),
        ]

    def __str__(self):
        return "%s %d年" % (self.park, self.year)

    def get_absolute_url(self):
        return self.park.get_absolute_url()

    # counties.models.audit_place files a record's audit entries under its county_id: a
    # yearly record's go where its park lies, inside the scope that sees the park.
    @property
    def county_id(self):
        return self.park.county_id
