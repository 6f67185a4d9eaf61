"""Files attached to a record (附件): a project's agreement, a fund's approval, a park's photos.

A document points at its record generically, as the audit trail does, so that any registry
can take documents without a field of its own: an admin adds `DocumentInline` (admin.py) and
a page `{% documents record %}` (templatetags/documents.py). Who may read a document is who
may read its record: `record_in(scope)` asks the record's own `visible_to`.
"""

import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import Storage, storages
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property

from counties.models import audit_place

STORAGE_ALIAS = "uploads"
FOLDER = "documents"


class SharedFiles(Storage):
    """STORAGES["uploads"] (the folder every app server shares, or another backend), looked
    up at each use: a FileField keeps the storage it was given when the model loads, and
    the setting may name another later (each test gets a folder of its own)."""

    def __getattribute__(self, name):
        if name.startswith("__"):
            return super().__getattribute__(name)
        return getattr(storages[STORAGE_ALIAS], name)


def shared_files():
    return SharedFiles()


def stored_name(document, filename):
    """documents/<year>/<random>.<extension>: no name a user typed reaches the storage (it is
    kept in original_name), and no name can be guessed from another."""
    suffix = PurePosixPath(filename).suffix.lower()
    return "%s/%d/%s%s" % (FOLDER, timezone.now().year, secrets.token_hex(16), suffix)


class DocumentQuerySet(models.QuerySet):
    def for_object(self, obj):
        """The documents attached to one record, in the order they were attached; no join
        (the record's content type comes from Django's cache)."""
        content_type = ContentType.objects.get_for_model(obj)
        return self.filter(content_type=content_type, object_id=obj.pk)


class Document(models.Model):
    class Kind(models.TextChoices):
        AGREEMENT = "agreement", "协议/合同"
        FUNDING = "funding", "资金批复/文件"
        ACCEPTANCE = "acceptance", "验收报告"
        PHOTO = "photo", "照片"
        OTHER = "other", "其他"

    content_type = models.ForeignKey(ContentType, models.PROTECT, verbose_name="记录类型")
    object_id = models.PositiveBigIntegerField("记录编号")
    record = GenericForeignKey("content_type", "object_id")
    kind = models.CharField("类别", max_length=12, choices=Kind, default=Kind.OTHER)
    title = models.CharField("标题", max_length=200, blank=True, help_text="留空时用文件名。")
    file = models.FileField("文件", upload_to=stored_name, storage=shared_files)
    original_name = models.CharField("原文件名", max_length=255, editable=False)
    size = models.PositiveBigIntegerField("大小（字节）", editable=False)
    media_type = models.CharField("文件类型", max_length=100, editable=False)
    sha256 = models.CharField("SHA-256", max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name="上传人",
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now, editable=False)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(size__gt=0),
                name="document_not_empty",
                violation_error_message="文件是空的（0字节）。",
            )
        ]

    def __str__(self):
        return self.title or self.original_name

    def described(self):
        """The document as the audit trail of its record names it: "协议/合同：标题", with
        the file's name when the title is another."""
        text = "%s：%s" % (self.get_kind_display(), self)
        if self.original_name and str(self) != self.original_name:
            text += "（%s）" % self.original_name
        return text

    def record_in(self, scope):
        """The record the document is attached to when the scope (counties.scopes.scope_of)
        holds it, by the record's own visible_to; else None. A model without visible_to is
        held only by a province-wide scope. One query."""
        model = ContentType.objects.get_for_id(self.content_type_id).model_class()
        if model is None:
            return None
        records = model._default_manager.all()
        if hasattr(records, "visible_to"):
            records = records.visible_to(scope)
        elif not scope.everywhere:
            return None
        return records.filter(pk=self.object_id).first()

    # counties.models.audit_place files a record's audit entries under its county_id, else
    # its prefecture_id (institutions.InstitutionPairing does the same): the entries of a
    # document go where its record lies, inside the scope that reads the record.
    @cached_property
    def record_place(self):
        record = self.record
        return audit_place(record) if record is not None else (None, None)

    @property
    def county_id(self):
        return self.record_place[0]

    @property
    def prefecture_id(self):
        return self.record_place[1]


def remove_file(sender, instance, using, **kwargs):
    """Removes a deleted document's file once the deletion is committed; a deletion rolled
    back keeps it. A post_delete receiver (apps.py), not Document.delete(): it also sees the
    documents deleted in bulk (the admin's delete action, a record's GenericRelation)."""
    name = instance.file.name
    if name:
        files = instance.file.storage
        transaction.on_commit(lambda: files.delete(name), using=using, robust=True)
