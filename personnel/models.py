from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from counties.models import County, Prefecture, ShanghaiDistrict, projects_named


class Batch(models.Model):
    number = models.PositiveSmallIntegerField("批次", unique=True)
    start_year = models.PositiveSmallIntegerField("起始年度")
    end_year = models.PositiveSmallIntegerField("结束年度")

    class Meta:
        verbose_name = "援滇干部批次"
        verbose_name_plural = "援滇干部批次"
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")),
                name="batch_years_in_order",
                violation_error_message="结束年度不能早于起始年度。",
            ),
        ]

    def __str__(self):
        return f"第{self.number}批（{self.start_year}—{self.end_year}）"


class CadreQuerySet(models.QuerySet):
    def on_post(self, date):
        """Cadres whose term covers the date (an open end means still serving); no join."""
        return self.filter(Q(term_end__isnull=True) | Q(term_end__gte=date), term_start__lte=date)

    def in_county(self, county):
        """Cadres posted to the county itself (not to its prefecture); no join."""
        return self.filter(county=county)

    def in_prefecture(self, prefecture):
        """Cadres posted to the prefecture or to any of its counties; joins county."""
        return self.filter(Q(prefecture=prefecture) | Q(county__prefecture=prefecture))

    def with_place(self):
        """Joins county, its prefecture, the prefecture posting and the batch."""
        return self.select_related("county__prefecture", "prefecture", "batch")

    def visible_to(self, scope):
        """Cadres posted to a county inside the scope or to a prefecture it holds whole; no
        join."""
        return self.filter(scope.q(prefecture="prefecture"))


class Cadre(models.Model):
    """A Shanghai cadre or professional sent to serve in Yunnan (援滇干部人才)."""

    class Gender(models.TextChoices):
        MALE = "male", "男"
        FEMALE = "female", "女"

    class Kind(models.TextChoices):
        OFFICIAL = "official", "党政干部"
        TEACHER = "teacher", "教师"
        DOCTOR = "doctor", "医生"
        PROFESSIONAL = "professional", "其他专业技术人才"

    class Team(models.TextChoices):
        MEDICAL = "medical", "医疗组团式帮扶"
        EDUCATION = "education", "教育组团式帮扶"

    name = models.CharField("姓名", max_length=40)
    gender = models.CharField("性别", max_length=6, choices=Gender)
    kind = models.CharField("类别", max_length=12, choices=Kind)
    sending_unit = models.CharField("上海派出单位", max_length=100)
    post = models.CharField("在滇挂职岗位", max_length=100)
    prefecture = models.ForeignKey(
        Prefecture,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="cadres",
        verbose_name="派驻州市",
        help_text="派驻州市一级时填写；派驻县市区时留空。",
    )
    county = models.ForeignKey(
        County,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="cadres",
        verbose_name="派驻县市区",
    )
    batch = models.ForeignKey(
        Batch,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="cadres",
        verbose_name="批次",
        help_text="短期专业技术人才可不属于编号批次。",
    )
    term_start = models.DateField("任期开始")
    term_end = models.DateField("任期结束", null=True, blank=True, help_text="留空表示仍在岗。")
    team = models.CharField("组团式帮扶", max_length=10, choices=Team, blank=True)
    sending_institution = models.ForeignKey(
        "institutions.Institution",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="cadres_sent",
        verbose_name="上海派出机构",
        limit_choices_to={"side": "shanghai"},
        help_text="派出单位已登记为机构时选择（如组团式帮扶的派出医院、学校）。",
    )
    serving_institution = models.ForeignKey(
        "institutions.Institution",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="cadres_serving",
        verbose_name="在滇服务机构",
        limit_choices_to={"side": "yunnan"},
        help_text="组团式帮扶的受援医院或学校等，须在派驻的县市区或州市。",
    )
    role = models.CharField(
        "在服务机构的职务", max_length=40, blank=True, help_text="如院长、校长、科主任。"
    )

    objects = CadreQuerySet.as_manager()

    class Meta:
        verbose_name = "援滇干部人才"
        verbose_name_plural = "援滇干部人才"
        ordering = ["-term_start", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(prefecture__isnull=True, county__isnull=False)
                | Q(prefecture__isnull=False, county__isnull=True),
                name="cadre_prefecture_xor_county",
                violation_error_message="派驻地须为一个州市或一个县市区，二者填且只填一个。",
            ),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=F("term_start")),
                name="cadre_term_in_order",
                violation_error_message="任期结束不能早于任期开始。",
            ),
        ]
        indexes = [models.Index(fields=["term_start", "term_end"])]

    def __str__(self):
        return f"{self.name}（{self.get_kind_display()}）"

    def get_absolute_url(self):
        return reverse("personnel:detail", args=[self.pk])

    def serves(self, county):
        """Whether the cadre may be responsible for projects of the county: posted to the
        county itself, or to its whole prefecture."""
        if self.county_id:
            return self.county_id == county.pk
        return self.prefecture_id is not None and self.prefecture_id == county.prefecture_id

    def clean(self):
        self.clean_institutions()
        # Posted to one place exactly: the constraint says so when it is not.
        if bool(self.county_id) == bool(self.prefecture_id) or self.pk is None:
            return
        saved = Cadre.objects.filter(pk=self.pk).values_list("county_id", "prefecture_id").first()
        if saved in (None, (self.county_id, self.prefecture_id)):
            return
        # The projects come through the reverse relation: this app does not import projects.
        if self.county_id:
            field, place = "county", self.county
            elsewhere = self.projects.exclude(county_id=self.county_id)
        else:
            field, place = "prefecture", self.prefecture
            elsewhere = self.projects.exclude(county__prefecture_id=self.prefecture_id)
        if elsewhere.exists():
            raise ValidationError(
                {
                    field: "该干部负责%(projects)s，派驻地不能改为%(place)s：负责干部须派驻在"
                    "项目所在县市区或其州市，请先在这些项目中取消该干部。"
                    % {"projects": projects_named(elsewhere), "place": place}
                }
            )

    def clean_institutions(self):
        """The sending institution is a Shanghai one; the serving one a Yunnan one in the
        cadre's county, or in the prefecture the cadre is posted to (or its counties)."""
        errors = {}
        sent = self.sending_institution
        if sent is not None and sent.side != "shanghai":
            errors["sending_institution"] = "上海派出机构须为上海的机构，“%s”在云南。" % sent
        serving = self.serving_institution
        if serving is not None:
            if serving.side != "yunnan":
                errors["serving_institution"] = "在滇服务机构须为云南的机构，“%s”在上海。" % serving
            elif self.county_id and serving.county_id != self.county_id:
                errors["serving_institution"] = "“%s”不在派驻的%s。" % (serving, self.county)
            elif self.prefecture_id and self.prefecture_id not in (
                serving.prefecture_id,
                serving.county.prefecture_id if serving.county_id else None,
            ):
                errors["serving_institution"] = "“%s”不在派驻的%s。" % (serving, self.prefecture)
        if errors:
            raise ValidationError(errors)


class ExchangePosting(models.Model):
    """A temporary posting (挂职) between Yunnan and Shanghai, in either direction."""

    class Direction(models.TextChoices):
        TO_SHANGHAI = "to_shanghai", "云南干部赴沪挂职"
        TO_YUNNAN = "to_yunnan", "上海干部赴滇挂职"

    name = models.CharField("姓名", max_length=40)
    gender = models.CharField("性别", max_length=6, choices=Cadre.Gender)
    direction = models.CharField("挂职方向", max_length=12, choices=Direction)
    county = models.ForeignKey(
        County, models.PROTECT, related_name="exchange_postings", verbose_name="云南县市区"
    )
    district = models.ForeignKey(
        ShanghaiDistrict,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="exchange_postings",
        verbose_name="上海市辖区",
    )
    home_unit = models.CharField("原单位", max_length=100)
    host_unit = models.CharField("挂职单位", max_length=100)
    post = models.CharField("挂职岗位", max_length=100, blank=True)
    start_date = models.DateField("挂职开始")
    end_date = models.DateField("挂职结束", null=True, blank=True)

    class Meta:
        verbose_name = "交流挂职"
        verbose_name_plural = "交流挂职"
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="exchange_dates_in_order",
                violation_error_message="挂职结束不能早于挂职开始。",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.get_direction_display()}）"
