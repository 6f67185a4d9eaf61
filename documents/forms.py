from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html

from .checks import ALLOWED_SHOWN, check_upload
from .models import Document


class StoredFile(forms.Widget):
    """An attached document's file in its row: a link to it, not an upload box. A file is
    never replaced in place (its audit trail names it); delete the row and attach another."""

    def __init__(self, document):
        super().__init__()
        self.document = document

    def render(self, name, value, attrs=None, renderer=None):
        url = reverse("documents:file", args=[self.document.pk])
        return format_html('<a href="{}">{}</a>', url, self.document.original_name)

    def value_from_datadict(self, data, files, name):
        return None  # FileField.clean keeps the stored file (its initial)


class DocumentForm(forms.ModelForm):
    """One document: its kind, title and file. An upload is checked before it is kept
    (documents/checks.py); the title defaults to the file's name."""

    file = forms.FileField(
        label="文件",
        # The stored name is a random one (models.stored_name): any length of name uploads.
        max_length=None,
        error_messages={
            "required": "请选择要上传的文件。",
            "empty": "文件是空的（0字节），请选择有内容的文件。",
            "invalid": "没有收到文件，请重新选择。",
        },
    )

    class Meta:
        model = Document
        fields = ["kind", "title", "file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["file"]
        if self.instance.pk:
            field.widget = StoredFile(self.instance)
        else:
            field.help_text = "%s，不超过%d MB。" % (
                ALLOWED_SHOWN,
                settings.DOCUMENT_MAX_UPLOAD_BYTES >> 20,
            )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if self.instance.pk:
            return upload
        checked = check_upload(upload)
        document = self.instance
        document.original_name = checked.name[-255:]
        document.media_type = checked.media_type
        document.size = checked.size
        document.sha256 = checked.sha256
        return upload

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("title") and self.instance.original_name:
            cleaned["title"] = self.instance.original_name[:200]
        return cleaned
