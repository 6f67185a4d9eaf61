"""Every former name and code of a Yunnan division since 1996, with today's division(s):
what report imports read 香格里拉县, 思茅市 or 532729 as (counties.places)."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

# Every division code is six digits; models.py uses it too (this module imports nothing of
# counties, so that models.py may re-export FormerDivision).
division_code = RegexValidator(r"^\d{6}$", "请输入6位数字的行政区划代码。")


class FormerDivisionQuerySet(models.QuerySet):
    def get_by_natural_key(self, code, name):
        return self.get(code=code, name=name)


current_codes_list = RegexValidator(
    r"^\d{6}(;\d{6})*$", "请输入6位数字的行政区划代码，多个代码以“;”分隔。"
)


class FormerDivision(models.Model):
    """A name and code a Yunnan prefecture or county had at some time since 1996 and no longer
    has (../shared/data/yunnan_division_history.csv): renamed places, counties that became
    districts or cities, and the codes of the former 地区. One code may have had several names
    (533421: 中甸县, then 香格里拉县), and one name several codes, so code and name together
    are the key."""

    class Level(models.TextChoices):
        PREFECTURE = "prefecture", "州市"
        COUNTY = "county", "县市区"

    code = models.CharField("区划代码", max_length=6, validators=[division_code])
    name = models.CharField("名称", max_length=40)
    level = models.CharField("层级", max_length=10, choices=Level)
    in_use_from = models.PositiveSmallIntegerField("启用年份")
    in_use_until = models.PositiveSmallIntegerField(
        "停用年份", help_text="不再使用的第一年，即变更当年。"
    )
    current_codes = models.CharField(
        "现行区划代码",
        max_length=69,
        validators=[current_codes_list],
        help_text="该区域今属的现行州市或县市区的代码；多个代码以“;”分隔，表示该区划已分设，"
        "单凭旧名无法确定是哪一个。",
    )

    objects = FormerDivisionQuerySet.as_manager()

    class Meta:
        verbose_name = "曾用区划"
        verbose_name_plural = "曾用区划"
        ordering = ["code", "in_use_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "name"],
                name="former_division_code_name_unique",
                violation_error_message="已有同一代码、同一名称的曾用区划。",
            ),
            models.CheckConstraint(
                condition=Q(in_use_until__gte=models.F("in_use_from")),
                name="former_division_years_in_order",
                violation_error_message="停用年份不能早于启用年份。",
            ),
        ]

    def __str__(self):
        return "%s（%s，%d—%d年）" % (self.name, self.code, self.in_use_from, self.in_use_until)

    def natural_key(self):
        return (self.code, self.name)

    def current_code_list(self):
        """The codes of today's divisions the area belongs to; more than one: it was split."""
        return self.current_codes.split(";")
