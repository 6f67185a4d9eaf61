"""Institutions (机构) of both sides and their pairings (机构结对): 组团式 medical and education
aid (a Shanghai hospital or school with a Yunnan one), the 163百万公益行动 (a Shanghai social
organisation with a prefecture or county), 村企结对 (an enterprise with a village).

Scope (counties.scopes): a Yunnan institution lies in its county, or in its prefecture for a
prefecture's own institution, and is seen as the records there are. A Shanghai institution
is no county's data, as a Shanghai district is not: every reader sees it. A pairing lies
where its Yunnan side lies.
"""

import functools
import operator

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Q, Sum
from django.urls import reverse

from counties.models import FIRST_YEAR, LAST_YEAR, County, Prefecture, ShanghaiDistrict, Village

# As projects.models.MONEY, which this app may not import: 万元 to four decimals, the yuan.
MONEY = {"max_digits": 16, "decimal_places": 4}

# GB 32100-2015: the characters of a 统一社会信用代码 (no I, O, S, V, Z), by their value.
CREDIT_CODE_CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def credit_code(value):
    """A 统一社会信用代码: 18 characters of GB 32100-2015, the last the check character of
    the first 17 (weights 3^i mod 31)."""
    if len(value) != 18 or any(c not in CREDIT_CODE_CHARACTERS for c in value):
        raise ValidationError(
            "统一社会信用代码须为18位数字或大写英文字母（不含I、O、S、V、Z）。", code="invalid"
        )
    total = sum(CREDIT_CODE_CHARACTERS.index(c) * pow(3, i, 31) for i, c in enumerate(value[:17]))
    if value[17] != CREDIT_CODE_CHARACTERS[-total % 31]:
        raise ValidationError(
            "统一社会信用代码第18位（校验码）与前17位不符，请核对。", code="check_character"
        )


class InstitutionQuerySet(models.QuerySet):
    def with_place(self):
        """Joins the county and its prefecture, the prefecture and the Shanghai district."""
        return self.select_related("county__prefecture", "prefecture", "district")

    def visible_to(self, scope):
        """Shanghai institutions, and Yunnan ones in a county inside the scope or of a
        prefecture it holds whole; no join."""
        return self.filter(institutions_seen(scope))


def institutions_seen(scope):
    """The filter keeping the institutions a scope (counties.scopes.Reach) sees; the admin
    narrows its lists and choices by it."""
    if scope.everywhere or scope.nothing:
        return scope.q()
    return Q(side=Institution.Side.SHANGHAI) | scope.q("county", "prefecture")


class Institution(models.Model):
    """A school, hospital, enterprise, social organisation, research institute or government
    unit of Shanghai or of Yunnan, by its official name."""

    class Kind(models.TextChoices):
        SCHOOL = "school", "学校"
        HOSPITAL = "hospital", "医院"
        ENTERPRISE = "enterprise", "企业"
        SOCIAL = "social", "社会组织"
        RESEARCH = "research", "科研院所"
        GOVERNMENT = "government", "政府单位"

    class Side(models.TextChoices):
        SHANGHAI = "shanghai", "上海"
        YUNNAN = "yunnan", "云南"

    kind = models.CharField("类别", max_length=12, choices=Kind)
    name = models.CharField("名称", max_length=100, help_text="全称，如登记证书或官方网站所写。")
    credit_code = models.CharField(
        "统一社会信用代码",
        max_length=18,
        blank=True,
        validators=[credit_code],
        help_text="18位，选填。",
    )
    side = models.CharField("所在省市", max_length=8, choices=Side)
    district = models.ForeignKey(
        ShanghaiDistrict,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="institutions",
        verbose_name="上海市辖区",
        help_text="上海的机构填写；市级机构留空。",
    )
    prefecture = models.ForeignKey(
        Prefecture,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="institutions",
        verbose_name="所在州市",
        help_text="云南州市一级的机构填写；县市区的机构留空。",
    )
    county = models.ForeignKey(
        County,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="institutions",
        verbose_name="所在县市区",
    )

    objects = InstitutionQuerySet.as_manager()

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = "机构"
        ordering = ["side", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(side="yunnan") | Q(prefecture__isnull=True, county__isnull=True),
                name="institution_shanghai_place",
                violation_error_message="上海的机构不填云南的州市或县市区。",
            ),
            models.CheckConstraint(
                condition=Q(side="shanghai")
                | Q(district__isnull=True, prefecture__isnull=True, county__isnull=False)
                | Q(district__isnull=True, prefecture__isnull=False, county__isnull=True),
                name="institution_yunnan_place",
                violation_error_message="云南的机构须填所在州市或所在县市区，二者填且只填一个，"
                "不填上海市辖区。",
            ),
            # One official name per place; NULL places are unequal in SQL, hence four.
            models.UniqueConstraint(
                fields=["district", "name"],
                name="institution_name_unique_in_district",
                violation_error_message="该区已有同名机构。",
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(side="shanghai", district__isnull=True),
                name="institution_name_unique_in_shanghai",
                violation_error_message="上海市级已有同名机构。",
            ),
            models.UniqueConstraint(
                fields=["county", "name"],
                name="institution_name_unique_in_county",
                violation_error_message="该县市区已有同名机构。",
            ),
            models.UniqueConstraint(
                fields=["prefecture", "name"],
                name="institution_name_unique_in_prefecture",
                violation_error_message="该州市已有同名的州市级机构。",
            ),
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="institution_credit_code_unique",
                violation_error_message="已有机构登记了该统一社会信用代码。",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("institutions:detail", args=[self.pk])

    @property
    def place(self):
        """Where it is: its district (None for a Shanghai city-level one), county or
        prefecture."""
        return self.district if self.side == self.Side.SHANGHAI else self.county or self.prefecture

    def clean(self):
        # Its pairings must still hold (InstitutionPairing.clean): a helper is a Shanghai
        # institution and a partner a Yunnan one, each of the kind its pairing's kind takes.
        if self.pk is None:
            return
        misfits = Q(pk__in=[])
        for field, side, needs in (
            ("helper", self.Side.SHANGHAI, HELPER_KIND),
            ("partner", self.Side.YUNNAN, PARTNER_KIND),
        ):
            if self.side != side:
                misfits |= Q(**{field: self})
            else:
                others = [kind for kind, need in needs.items() if need != self.kind]
                misfits |= Q(**{field: self, "kind__in": others})
        count = InstitutionPairing.objects.filter(misfits).count()
        if count:
            raise ValidationError(
                "该机构的%(count)d条结对记录与所改的所在省市或类别不符，请先修改这些结对记录："
                "帮扶方须为上海的机构，结对机构须为云南的机构，组团式医疗须为医院，"
                "组团式教育须为学校，163百万公益行动的帮扶方须为社会组织，"
                "村企结对的帮扶方须为企业。" % {"count": count}
            )


# The counterpart of a pairing, one of these exactly.
COUNTERPARTS = ("partner", "partner_village", "partner_county", "partner_prefecture")


def exactly_one(fields):
    """The condition that one of the nullable `fields` is filled and the others are not."""
    return functools.reduce(
        operator.or_,
        (Q(**{"%s__isnull" % field: field != filled for field in fields}) for filled in fields),
    )


def located_in(counties):
    """The filter keeping the pairings whose Yunnan side lies in one of `counties` (ids or
    a subquery): the county itself, an institution or a village of it. Joins the Yunnan
    institution and the village."""
    return (
        Q(partner_county__in=counties)
        | Q(partner__county__in=counties)
        | Q(partner_village__county__in=counties)
    )


def pairings_seen(scope):
    """The filter keeping the pairings a scope sees: those whose Yunnan side is inside it
    (a county, or a prefecture it holds whole). Joins the Yunnan institution and the village;
    the admin narrows its lists and choices by it."""
    if scope.everywhere or scope.nothing:
        return scope.q()
    return (
        scope.q("partner_county")
        | scope.q("partner__county", "partner__prefecture")
        | scope.q("partner_village__county")
        | scope.q(None, "partner_prefecture")
    )


class InstitutionPairingQuerySet(models.QuerySet):
    def active_in(self, year):
        """Pairings in force in a year; an open end counts as still in force. No join."""
        return self.filter(Q(to_year__isnull=True) | Q(to_year__gte=year), from_year__lte=year)

    def for_county(self, county):
        """Pairings whose Yunnan side is the county, one of its institutions or villages, or
        its whole prefecture; joins the Yunnan institution and the village."""
        return self.filter(located_in([county.pk]) | Q(partner_prefecture_id=county.prefecture_id))

    def with_sides(self):
        """Joins the Shanghai institution and its district, and the counterpart with its
        place."""
        return self.select_related(
            "helper__district",
            "partner__county__prefecture",
            "partner__prefecture",
            "partner_village__county__prefecture",
            "partner_county__prefecture",
            "partner_prefecture",
        )

    def visible_to(self, scope):
        """Pairings whose Yunnan side lies inside the scope (pairings_seen); joins the Yunnan
        institution and the village."""
        return self.filter(pairings_seen(scope))

    def tally(self):
        """Per kind: the pairings, the distinct Shanghai institutions, the distinct
        counterparts of each sort and the money committed. One grouped query, no join."""
        return (
            self.order_by("kind")
            .values("kind")
            .annotate(
                pairings=Count("pk"),
                helpers=Count("helper", distinct=True),
                institutions=Count("partner", distinct=True),
                villages=Count("partner_village", distinct=True),
                counties=Count("partner_county", distinct=True),
                prefectures=Count("partner_prefecture", distinct=True),
                committed=Sum("committed"),
            )
        )


class InstitutionPairing(models.Model):
    """A Shanghai institution paired with a Yunnan institution, village, county or
    prefecture for a span of years.

    As with district pairings (counties.Pairing), a change is a new row, so history stays:
    组团式 aid runs in three-year rounds, the 163百万公益行动 commits three years.
    """

    class Kind(models.TextChoices):
        MEDICAL = "medical", "组团式医疗"
        EDUCATION = "education", "组团式教育"
        ACTION_163 = "action_163", "163百万公益行动"
        VILLAGE = "village", "村企结对"
        OTHER = "other", "其他"

    class Basis(models.TextChoices):
        EXPLICIT = "explicit", "明确记载"
        IMPLIED = "implied", "推断"

    kind = models.CharField("结对类型", max_length=12, choices=Kind)
    helper = models.ForeignKey(
        Institution,
        models.PROTECT,
        related_name="pairings_as_helper",
        verbose_name="上海帮扶机构",
        limit_choices_to={"side": Institution.Side.SHANGHAI},
        error_messages={"invalid": "上海帮扶机构须为已登记的上海机构。"},
    )
    partner = models.ForeignKey(
        Institution,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="pairings_as_partner",
        verbose_name="云南结对机构",
        limit_choices_to={"side": Institution.Side.YUNNAN},
        error_messages={"invalid": "云南结对机构须为已登记的云南机构。"},
        help_text="组团式帮扶：结对的云南医院或学校。",
    )
    partner_village = models.ForeignKey(
        Village,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="institution_pairings",
        verbose_name="结对村",
        help_text="村企结对：结对的村。",
    )
    partner_county = models.ForeignKey(
        County,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="institution_pairings",
        verbose_name="结对县市区",
    )
    partner_prefecture = models.ForeignKey(
        Prefecture,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="institution_pairings",
        verbose_name="结对州市",
        help_text="163百万公益行动：结对的州市（或上面的县市区）。",
    )
    from_year = models.PositiveSmallIntegerField(
        "起始年度",
        validators=[
            MinValueValidator(FIRST_YEAR, "起始年度不能早于1996年。"),
            MaxValueValidator(LAST_YEAR, "起始年度不能晚于2100年。"),
        ],
    )
    to_year = models.PositiveSmallIntegerField(
        "终止年度",
        null=True,
        blank=True,
        validators=[MaxValueValidator(LAST_YEAR, "终止年度不能晚于2100年。")],
        help_text="留空表示仍在结对。三年一轮的，2023年起填2025。",
    )
    committed = models.DecimalField(
        "承诺帮扶资金（万元）",
        null=True,
        blank=True,
        validators=[MinValueValidator(0, "金额不能为负数。")],
        help_text="整个期限内承诺的资金，如163百万公益行动每家不少于100万元。",
        **MONEY,
    )
    basis = models.CharField("依据", max_length=10, choices=Basis, default=Basis.EXPLICIT)
    source = models.TextField("来源", blank=True, help_text="文件、报道或网址。")

    objects = InstitutionPairingQuerySet.as_manager()

    class Meta:
        verbose_name = "机构结对"
        verbose_name_plural = "机构结对"
        ordering = ["-from_year", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=exactly_one(COUNTERPARTS),
                name="institution_pairing_one_counterpart",
                violation_error_message="结对对象须为一所云南机构、一个村、一个县市区或一个州市，"
                "填且只填一项。",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["medical", "education"], partner__isnull=False)
                | Q(kind="action_163", partner__isnull=True, partner_village__isnull=True)
                | Q(kind="village", partner_village__isnull=False)
                | Q(kind="other"),
                name="institution_pairing_counterpart_fits_kind",
                violation_error_message="组团式帮扶须结对一所云南机构，163百万公益行动须结对"
                "州市或县市区，村企结对须结对一个村。",
            ),
            models.CheckConstraint(
                condition=Q(to_year__isnull=True) | Q(to_year__gte=F("from_year")),
                name="institution_pairing_years_in_order",
                violation_error_message="终止年度不能早于起始年度。",
            ),
            models.CheckConstraint(
                condition=Q(from_year__gte=FIRST_YEAR, from_year__lte=LAST_YEAR),
                name="institution_pairing_from_year_range",
                violation_error_message="起始年度须在1996年至2100年之间。",
            ),
            models.CheckConstraint(
                condition=Q(committed__isnull=True) | Q(committed__gte=0),
                name="institution_pairing_committed_not_negative",
                violation_error_message="承诺帮扶资金不能为负数。",
            ),
            # Two rows of one pairing would count its money twice.
            *(
                models.UniqueConstraint(
                    fields=["helper", field, "from_year"],
                    name="institution_pairing_unique_%s" % field,
                    violation_error_message="该上海机构与同一结对对象已有同一起始年度的结对记录。",
                )
                for field in COUNTERPARTS
            ),
        ]

    def __str__(self):
        years = "%s–%s" % (self.from_year, self.to_year or "")
        return "%s ↔ %s（%s）" % (self.helper, self.counterpart, years)

    @property
    def counterpart(self):
        """The Yunnan side: an institution, a village, a county or a prefecture."""
        return next(
            (getattr(self, field) for field in COUNTERPARTS if getattr(self, field + "_id")),
            None,
        )

    # counties.models.audit_place files a record's audit entries under its county_id, else
    # its prefecture_id: a pairing's go where its Yunnan side lies, inside the scope that
    # sees the pairing.
    @property
    def county_id(self):
        """The county the Yunnan side lies in; None for a prefecture or its institution."""
        if self.partner_county_id:
            return self.partner_county_id
        if self.partner_village_id:
            return self.partner_village.county_id
        return self.partner.county_id if self.partner_id else None

    @property
    def prefecture_id(self):
        """The prefecture of a pairing with a whole prefecture or its own institution."""
        if self.partner_prefecture_id:
            return self.partner_prefecture_id
        return self.partner.prefecture_id if self.partner_id else None

    def clean(self):
        # The sides are the foreign keys' limit_choices_to; the kinds are the pairing kind's.
        errors = {}
        for field, needs in (("helper", HELPER_KIND), ("partner", PARTNER_KIND)):
            obj = getattr(self, field) if getattr(self, field + "_id") else None
            need = needs.get(self.kind)
            if obj is not None and need and obj.kind != need:
                errors[field] = "%(kind)s的%(role)s须为%(need)s，%(name)s是%(is)s。" % {
                    "kind": self.get_kind_display(),
                    "role": self._meta.get_field(field).verbose_name,
                    "need": need.label,
                    "name": obj,
                    "is": obj.get_kind_display(),
                }
        if errors:
            raise ValidationError(errors)


# Which institution kind a pairing kind takes, for its helper and for its partner.
HELPER_KIND = {
    InstitutionPairing.Kind.MEDICAL: Institution.Kind.HOSPITAL,
    InstitutionPairing.Kind.EDUCATION: Institution.Kind.SCHOOL,
    InstitutionPairing.Kind.ACTION_163: Institution.Kind.SOCIAL,
    InstitutionPairing.Kind.VILLAGE: Institution.Kind.ENTERPRISE,
}
PARTNER_KIND = {
    InstitutionPairing.Kind.MEDICAL: Institution.Kind.HOSPITAL,
    InstitutionPairing.Kind.EDUCATION: Institution.Kind.SCHOOL,
}
