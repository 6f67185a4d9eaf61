from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .audit import shown
from .former import division_code

FIRST_YEAR = 1996  # 沪滇对口帮扶始于1996年
LAST_YEAR = 2100


class CodeQuerySet(models.QuerySet):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class PrefectureQuerySet(CodeQuerySet):
    def visible_to(self, scope):
        """The prefectures the scope holds whole (not those whose counties it holds one by
        one); no join."""
        return self.filter(scope.q(None, "pk"))


class Prefecture(models.Model):
    class Type(models.TextChoices):
        CITY = "地级市", "地级市"
        AUTONOMOUS = "自治州", "自治州"

    code = models.CharField("区划代码", max_length=6, unique=True, validators=[division_code])
    name = models.CharField("名称", max_length=40, unique=True)
    division_type = models.CharField("类型", max_length=8, choices=Type.choices)

    objects = PrefectureQuerySet.as_manager()

    class Meta:
        verbose_name = "州市"
        verbose_name_plural = "州市"
        ordering = ["code"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


class CountyQuerySet(CodeQuerySet):
    def former_poverty(self):
        """The 88 former national poverty counties; no join."""
        return self.filter(is_former_poverty=True)

    def visible_to(self, scope):
        """The counties inside the scope; no join."""
        return self.filter(scope.q("pk"))


class County(models.Model):
    class Type(models.TextChoices):
        DISTRICT = "市辖区", "市辖区"
        CITY = "县级市", "县级市"
        COUNTY = "县", "县"
        AUTONOMOUS = "自治县", "自治县"

    code = models.CharField("区划代码", max_length=6, unique=True, validators=[division_code])
    name = models.CharField("名称", max_length=40)
    prefecture = models.ForeignKey(
        Prefecture, models.PROTECT, related_name="counties", verbose_name="所属州市"
    )
    division_type = models.CharField("类型", max_length=8, choices=Type.choices)
    is_former_poverty = models.BooleanField("脱贫县", default=False, help_text="原国家级贫困县")
    poverty_exit_year = models.PositiveSmallIntegerField(
        "摘帽年度", null=True, blank=True, help_text="脱贫县退出贫困县序列的批次年度"
    )
    is_key_assistance = models.BooleanField("国家乡村振兴重点帮扶县", default=False)
    is_border = models.BooleanField("边境县", default=False)

    objects = CountyQuerySet.as_manager()

    class Meta:
        verbose_name = "县市区"
        verbose_name_plural = "县市区"
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["prefecture", "name"],
                name="county_name_unique_in_prefecture",
                violation_error_message="该州市下已有同名县市区。",
            ),
            models.CheckConstraint(
                condition=Q(poverty_exit_year__isnull=True) | Q(is_former_poverty=True),
                name="county_exit_year_only_for_poverty",
                violation_error_message="只有脱贫县才有摘帽年度。",
            ),
            models.CheckConstraint(
                condition=Q(poverty_exit_year__isnull=True)
                | Q(poverty_exit_year__gte=FIRST_YEAR, poverty_exit_year__lte=LAST_YEAR),
                name="county_exit_year_range",
                violation_error_message="摘帽年度须在1996年至2100年之间。",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("counties:detail", args=[self.code])

    def natural_key(self):
        return (self.code,)

    natural_key.dependencies = ["counties.prefecture"]


class ShanghaiDistrict(models.Model):
    code = models.CharField("区划代码", max_length=6, unique=True, validators=[division_code])
    name = models.CharField("名称", max_length=20, unique=True)

    objects = CodeQuerySet.as_manager()

    class Meta:
        verbose_name = "上海市辖区"
        verbose_name_plural = "上海市辖区"
        ordering = ["code"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


class PairingQuerySet(models.QuerySet):
    def get_by_natural_key(self, district_code, partner_code, from_year):
        return self.get(
            Q(county__code=partner_code) | Q(prefecture__code=partner_code),
            district__code=district_code,
            from_year=from_year,
        )

    def active_in(self, year):
        """Pairings in force in a year; an unknown start or end year counts as open. No join."""
        return self.filter(
            Q(from_year__isnull=True) | Q(from_year__lte=year),
            Q(to_year__isnull=True) | Q(to_year__gte=year),
        )

    def for_county(self, county):
        """Pairings with the county itself or with its whole prefecture; no join."""
        return self.filter(Q(county=county) | Q(prefecture_id=county.prefecture_id))

    def visible_to(self, scope):
        """Pairings with a county inside the scope or a prefecture it holds whole; no join.
        The pairings themselves are reference data every reader sees on the pages; this is
        for what hangs on one (its documents)."""
        return self.filter(scope.q("county", "prefecture"))


class Pairing(models.Model):
    """A Shanghai district paired with a Yunnan prefecture or county for a span of years.

    Pairings were redrawn in 2017 and 2021; a change is a new row, so history stays.
    """

    class Basis(models.TextChoices):
        EXPLICIT = "explicit", "明确记载"
        IMPLIED = "implied", "推断"

    district = models.ForeignKey(
        ShanghaiDistrict, models.PROTECT, related_name="pairings", verbose_name="上海市辖区"
    )
    prefecture = models.ForeignKey(
        Prefecture,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="pairings",
        verbose_name="结对州市",
        help_text="与整个州市结对时填写；与县市区结对时留空。",
    )
    county = models.ForeignKey(
        County,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="pairings",
        verbose_name="结对县市区",
    )
    from_year = models.PositiveSmallIntegerField("起始年度", null=True, blank=True)
    to_year = models.PositiveSmallIntegerField(
        "终止年度", null=True, blank=True, help_text="留空表示未知或仍在结对。"
    )
    basis = models.CharField("依据", max_length=10, choices=Basis, default=Basis.EXPLICIT)
    source = models.TextField("来源", blank=True, help_text="文件、报道或网址。")

    objects = PairingQuerySet.as_manager()

    class Meta:
        verbose_name = "结对关系"
        verbose_name_plural = "结对关系"
        ordering = ["district__code", "from_year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(prefecture__isnull=True, county__isnull=False)
                | Q(prefecture__isnull=False, county__isnull=True),
                name="pairing_prefecture_xor_county",
                violation_error_message="结对对象须为一个州市或一个县市区，二者填且只填一个。",
            ),
            models.CheckConstraint(
                condition=Q(from_year__isnull=True)
                | Q(to_year__isnull=True)
                | Q(to_year__gte=models.F("from_year")),
                name="pairing_years_in_order",
                violation_error_message="终止年度不能早于起始年度。",
            ),
            models.CheckConstraint(
                condition=Q(from_year__isnull=True) | Q(from_year__gte=FIRST_YEAR),
                name="pairing_from_year_range",
                violation_error_message="起始年度不能早于1996年。",
            ),
        ]

    def __str__(self):
        years = f"{self.from_year or '?'}–{self.to_year or ''}"
        return f"{self.district} ↔ {self.county or self.prefecture}（{years}）"

    def natural_key(self):
        return (self.district.code, self.partner.code, self.from_year)

    natural_key.dependencies = ["counties.shanghaidistrict", "counties.county"]

    @property
    def partner(self):
        return self.county or self.prefecture


PROJECTS_NAMED = 5  # in a refusal, the first few projects by code; the rest are counted


def projects_named(projects):
    """A few of the projects for a refusal: "2个项目（2023-LC-001、2023-LC-002）", or the first
    five and their number, "2023-LC-001、…等12个项目". Two queries at most."""
    codes = list(projects.order_by("code").values_list("code", flat=True)[: PROJECTS_NAMED + 1])
    if len(codes) <= PROJECTS_NAMED:
        return "%d个项目（%s）" % (len(codes), "、".join(codes))
    return "%s等%d个项目" % ("、".join(codes[:PROJECTS_NAMED]), projects.count())


def moved_from(obj):
    """The county id a saved record has in the database, or None for a new one."""
    if obj.pk is None:
        return None
    saved = type(obj)._default_manager.filter(pk=obj.pk)
    return saved.values_list("county_id", flat=True).first()


class VillageQuerySet(models.QuerySet):
    def visible_to(self, scope):
        """The villages of counties inside the scope; no join."""
        return self.filter(scope.q())


class Village(models.Model):
    name = models.CharField("村名", max_length=40)
    county = models.ForeignKey(
        County, models.PROTECT, related_name="villages", verbose_name="所属县市区"
    )
    township = models.CharField("乡镇", max_length=40, blank=True)
    is_revitalization_demo = models.BooleanField("乡村振兴示范村", default=False)
    is_border_xiaokang = models.BooleanField("边境小康村", default=False)

    objects = VillageQuerySet.as_manager()

    class Meta:
        verbose_name = "村"
        verbose_name_plural = "村"
        ordering = ["county__code", "township", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "township", "name"],
                name="village_unique_in_township",
                violation_error_message="该县市区的该乡镇下已有同名村。",
            ),
        ]

    def __str__(self):
        return f"{self.county.name}{self.township}{self.name}"

    def clean(self):
        if self.is_border_xiaokang and self.county_id and not self.county.is_border:
            raise ValidationError({"is_border_xiaokang": "边境小康村须位于边境县。"})
        # A project and its village are in one county (Project.clean); the projects come
        # through the reverse relation, since this app does not import projects.
        if self.county_id and moved_from(self) not in (None, self.county_id):
            elsewhere = self.projects.exclude(county_id=self.county_id)
            if elsewhere.exists():
                raise ValidationError(
                    {
                        "county": "该村登记有%(projects)s，所属县市区不能改为%(county)s："
                        "项目须与所在村在同一县市区，请先在这些项目中取消该村。"
                        % {"projects": projects_named(elsewhere), "county": self.county}
                    }
                )


class Scope(models.Model):
    """The places a user may see and work on: the whole province, or prefectures, counties
    and the counties a Shanghai district is paired with now (following the pairing history).

    A user without a scope sees no records; superusers see everything.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="scope", verbose_name="用户"
    )
    everywhere = models.BooleanField("全省", default=False, help_text="可查看和处理全省的记录。")
    prefectures = models.ManyToManyField(
        Prefecture,
        blank=True,
        related_name="+",
        verbose_name="州市",
        help_text="含其下所有县市区。",
    )
    counties = models.ManyToManyField(County, blank=True, related_name="+", verbose_name="县市区")
    districts = models.ManyToManyField(
        ShanghaiDistrict,
        blank=True,
        related_name="+",
        verbose_name="上海结对区",
        help_text="该区当年结对的县市区（整州结对则为全州）；结对关系调整后自动随之变化。",
    )

    class Meta:
        verbose_name = "数据范围"
        verbose_name_plural = "数据范围"
        # Held by a role, not by a scope: which records the pages show is the scope's part.
        permissions = [("browse", "可浏览页面与下载导出")]

    def __str__(self):
        return "%s的数据范围" % self.user

    def county_ids(self, year=None):
        """The ids of the counties inside this scope, as a subquery; None means all of them."""
        if self.everywhere:
            return None
        year = year or timezone.localdate().year
        pairings = Pairing.objects.active_in(year).filter(district__in=self.districts.all())
        return County.objects.filter(
            Q(prefecture__in=self.prefectures.all())
            | Q(pk__in=self.counties.all())
            | Q(pk__in=pairings.filter(county__isnull=False).values("county"))
            | Q(prefecture__in=pairings.filter(prefecture__isnull=False).values("prefecture"))
        ).values("pk")


# The records of user administration: their entries are shown to superusers only.
USER_ADMINISTRATION = [("auth", "user"), ("auth", "group"), ("counties", "scope")]


def audit_place(obj):
    """(county id, prefecture id) of the place a record belongs to, for its audit entries:
    its county; or, for a record of a whole prefecture, that prefecture; else (None, None),
    a record of the province (districts, indicators) or of no place (users)."""
    if isinstance(obj, County):
        return obj.pk, None
    if isinstance(obj, Prefecture):
        return None, obj.pk
    county_id = getattr(obj, "county_id", None)
    if county_id is None and getattr(obj, "project_id", None):  # a fund allocation
        county_id = obj.project.county_id
    prefecture_id = None if county_id else getattr(obj, "prefecture_id", None)
    return county_id, prefecture_id


def user_administration():
    """The entries of user administration, as a filter."""
    condition = Q(pk__in=[])
    for app_label, model in USER_ADMINISTRATION:
        condition |= Q(content_type__app_label=app_label, content_type__model=model)
    return condition


class AuditEntryQuerySet(models.QuerySet):
    def visible_to(self, scope):
        """The entries of records inside the scope (counties.scopes.scope_of), by the place
        written with each entry (so a deleted record's entries stay where the record was);
        user administration only to superusers. No join."""
        if scope.superuser:
            return self
        return self.exclude(user_administration()).filter(scope.q("county", "prefecture"))

    def outside(self, scope):
        """The entries of records outside the scope: the complement of visible_to. A
        negated lookup keeps the entries without a place, which are outside any county."""
        if scope.superuser:
            return self.none()
        users = user_administration()
        inside = scope.q("county", "prefecture")
        return self.filter(users | ~inside) if inside else self.filter(users)

    def last_write(self):
        """The id of the newest entry, 0 for none: every write of a record through hujin
        (admin, import, undo) writes an entry, so what was computed from the records holds
        while it is the same. One query on the primary key."""
        return self.order_by("-pk").values_list("pk", flat=True).first() or 0

    def for_object(self, obj):
        """The entries of one record, newest first; joins the user."""
        content_type = ContentType.objects.get_for_model(obj)
        return self.filter(content_type=content_type, object_id=str(obj.pk)).select_related("user")


class AuditEntry(models.Model):
    """One create, change or delete of a record: who, when, through which path, and each
    changed field's value before and after.

    It lives in this app, the one every other app depends on, and points at its record
    generically. Admin screens write it as they save; an import writes one per project in
    the same statements that write the projects, and names its batch (import_batch_id: a
    plain number, since import batches belong to the projects app).
    """

    class Action(models.TextChoices):
        CREATE = "create", "新增"
        CHANGE = "change", "修改"
        DELETE = "delete", "删除"

    class Channel(models.TextChoices):
        ADMIN = "admin", "管理后台"
        IMPORT = "import", "管理后台导入"
        COMMAND = "command", "命令行导入"
        ROLLBACK = "rollback", "撤销导入"

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, verbose_name="操作人"
    )
    channel = models.CharField("途径", max_length=10, choices=Channel)
    action = models.CharField("操作", max_length=10, choices=Action)
    content_type = models.ForeignKey(ContentType, models.PROTECT, verbose_name="记录类型")
    object_id = models.CharField("记录编号", max_length=64)
    object_repr = models.CharField("记录", max_length=300)
    changes = models.JSONField("变更内容", default=dict, help_text="字段：[修改前, 修改后]")
    import_batch_id = models.PositiveIntegerField("导入批次", null=True, blank=True, db_index=True)
    # Where the record was when the entry was written (audit_place): the entry's scope.
    county = models.ForeignKey(
        County, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="县市区"
    )
    prefecture = models.ForeignKey(
        Prefecture, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="州市"
    )

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "操作记录"
        verbose_name_plural = "操作记录"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return "%s %s %s" % (self.at, self.get_action_display(), self.object_repr)

    def changed_fields(self):
        """(field label, before, after) for the fields whose value changed, as the history
        pages show them (counties/audit.py `shown`)."""
        model = self.content_type.model_class()
        rows = []
        for name, (before, after) in self.changes.items():
            if before == after:
                continue
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
            label = field.verbose_name if field is not None else name
            rows.append((label, shown(field, before), shown(field, after)))
        return rows


# In modules of their own (this one is long enough): passwords an administrator set
# (accounts.py), former names and codes (former.py), background work (jobs.py).
from .accounts import PasswordToChange  # noqa: E402, F401
from .former import (  # noqa: E402, F401
    FormerDivision,
    FormerDivisionQuerySet,
    current_codes_list,
)
from .jobs import Job  # noqa: E402, F401
