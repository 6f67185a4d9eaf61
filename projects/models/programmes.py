"""Programmes (项目群): a county's projects of several years under one name."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Max, Min, Q, Sum
from django.urls import reverse

from counties.models import County, moved_from, projects_named

from .base import MONEY, ZERO, year_field, year_in_range


class ProgrammeQuerySet(models.QuerySet):
    def visible_to(self, scope):
        """Programmes of counties inside the scope; no join."""
        return self.filter(scope.q())

    def with_place(self):
        """Joins the county and its prefecture for display."""
        return self.select_related("county__prefecture")

    def with_totals(self):
        """Annotates each programme with its projects (`project_count`), the years they run
        (`from_year`, `to_year`) and their Shanghai and other funds; one grouped join of
        the projects. Only the projects in the programme's county count, so that a scope
        seeing the programme sees all it sums (a project moved by an import stays out)."""
        money = models.DecimalField(**MONEY)
        own = Q(projects__county=F("county"))
        return self.annotate(
            project_count=Count("projects", filter=own),
            from_year=Min("projects__year", filter=own),
            to_year=Max("projects__year", filter=own),
            shanghai_funds=Sum(
                "projects__shanghai_funds", filter=own, default=ZERO, output_field=money
            ),
            other_funds=Sum("projects__other_funds", filter=own, default=ZERO, output_field=money),
        )


class Programme(models.Model):
    """A named group of one county's projects over several years: a demonstration village
    built up year by year, a walnut value chain from nursery to processing."""

    class Kind(models.TextChoices):
        VILLAGE = "village", "示范村建设"
        VALUE_CHAIN = "value_chain", "产业链"
        PARK = "park", "园区建设"
        OTHER = "other", "其他"

    county = models.ForeignKey(
        County, models.PROTECT, related_name="programmes", verbose_name="县市区"
    )
    name = models.CharField("项目群名称", max_length=100, help_text="如某村乡村振兴示范村建设。")
    kind = models.CharField("类型", max_length=12, choices=Kind, default=Kind.OTHER)
    first_year = year_field("起始年度", null=True, blank=True)
    last_year = year_field("截止年度", null=True, blank=True, help_text="仍在实施的留空。")
    description = models.TextField("简介", blank=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = "项目群"
        verbose_name_plural = "项目群"
        ordering = ["county__code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "name"],
                name="programme_name_unique_in_county",
                violation_error_message="该县市区已有同名项目群。",
            ),
            models.CheckConstraint(
                condition=Q(first_year__isnull=True) | year_in_range("first_year"),
                name="programme_first_year_range",
                violation_error_message="起始年度须在1996年至2100年之间。",
            ),
            models.CheckConstraint(
                condition=Q(last_year__isnull=True) | year_in_range("last_year"),
                name="programme_last_year_range",
                violation_error_message="截止年度须在1996年至2100年之间。",
            ),
            models.CheckConstraint(
                condition=Q(first_year__isnull=True)
                | Q(last_year__isnull=True)
                | Q(last_year__gte=F("first_year")),
                name="programme_years_in_order",
                violation_error_message="截止年度不能早于起始年度。",
            ),
        ]

    def __str__(self):
        return "%s %s" % (self.county, self.name)

    def get_absolute_url(self):
        return reverse("programmes:detail", args=[self.pk])

    def clean(self):
        # A project and its programme are in one county (Project.clean).
        if self.county_id and moved_from(self) not in (None, self.county_id):
            elsewhere = self.projects.exclude(county_id=self.county_id)
            if elsewhere.exists():
                raise ValidationError(
                    {
                        "county": "项目群内登记有%(projects)s，县市区不能改为%(county)s："
                        "项目须与所属项目群在同一县市区，请先在这些项目中取消所属项目群。"
                        % {"projects": projects_named(elsewhere), "county": self.county}
                    }
                )
