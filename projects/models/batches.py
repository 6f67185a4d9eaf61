"""Import batches: one file imported, and who may see it."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from counties.models import AuditEntry


class ImportBatchQuerySet(models.QuerySet):
    def visible_to(self, scope):
        """The batches whose every written record is inside the scope (by their audit
        entries' places); a batch that wrote nothing, to its importer and province-wide users
        only. Superusers see all. Subqueries on the audit trail, no join."""
        if scope.superuser:
            return self
        written = AuditEntry.objects.filter(import_batch_id=OuterRef("pk"))
        outside = AuditEntry.objects.outside(scope).filter(import_batch_id=OuterRef("pk"))
        shown = Q(Exists(written)) | Q(user=scope.user) if not scope.everywhere else Q()
        return self.filter(~Exists(outside)).filter(shown)


class ImportBatch(models.Model):
    """One file imported: who, when, which file, and what it did."""

    class Kind(models.TextChoices):
        YEARLY_REPORT = "yearly_report", "项目年度报表"
        INDICATOR_REPORT = "indicator_report", "协作指标报表"
        # The registries (projects/importers/registries.py), one kind each.
        VILLAGES = "villages", "村名录"
        DISTRICT_PAIRINGS = "district_pairings", "区县结对"
        INSTITUTIONS = "institutions", "机构名录"
        INSTITUTION_PAIRINGS = "institution_pairings", "机构结对"
        CADRES = "cadres", "援滇干部人才名册"
        POSTINGS = "postings", "交流挂职名册"
        FUNDS = "funds", "资金"
        ALLOCATIONS = "allocations", "资金分配"
        PARKS = "parks", "共建产业园区"
        PARK_YEARS = "park_years", "园区年度情况"
        PROGRAMMES = "programmes", "项目群"

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
