"""Co-built industrial parks (共建产业园区)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from counties.models import (
    County,
    ShanghaiDistrict,
    moved_from,
    projects_named,
)

from .base import ZERO, money_field, year_field, year_in_range


class IndustrialParkQuerySet(models.QuerySet):
    def visible_to(self, scope):
        """Parks in counties inside the scope; no join."""
        return self.filter(scope.q())


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

    objects = IndustrialParkQuerySet.as_manager()

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
