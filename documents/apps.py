from django.apps import AppConfig
from django.db.models.signals import post_delete


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "附件"

    def ready(self):
        from .models import Document, remove_file

        # Housekeeping of the storage, not a business rule: a deleted document's file goes
        # with it, however the row was deleted (models.remove_file).
        post_delete.connect(remove_file, sender=Document, dispatch_uid="documents.remove_file")
