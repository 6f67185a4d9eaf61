"""The 附件 of a record on its admin page. Each registry's admin adds one line:

    inlines = [..., DocumentInline]

Who may change the record may attach and remove its documents; who may only view it sees
them. Each save that attaches, removes or renames documents writes one entry in the record's
audit trail, 附件 before and after (as a many-to-many field is written)."""

from django.contrib import admin
from django.contrib.contenttypes.admin import BaseGenericInlineFormSet, GenericTabularInline
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT, ManagementForm
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html

from counties.admin import record
from counties.models import AuditEntry, Pairing

from .forms import DocumentForm
from .models import Document

AUDIT_KEY = "附件"


def described(obj):
    """A record's documents as its audit trail lists them: sorted, each as it is named."""
    return sorted(document.described() for document in Document.objects.for_object(obj))


class DocumentFormSet(BaseGenericInlineFormSet):
    request = None  # set for each request by DocumentInline.get_formset

    @cached_property
    def management_form(self):
        # A record's form posted without its 附件 rows (a script, a form saved before the
        # documents were added to it) leaves its documents as they are, rather than
        # refusing the whole record for a missing management form.
        if self.is_bound and self.add_prefix(TOTAL_FORM_COUNT) not in self.data:
            none = {self.add_prefix(TOTAL_FORM_COUNT): 0, self.add_prefix(INITIAL_FORM_COUNT): 0}
            form = ManagementForm(
                none, auto_id=self.auto_id, prefix=self.prefix, renderer=self.renderer
            )
            form.full_clean()
            return form
        return super().management_form

    def is_multipart(self):
        # Django asks the first row, an attached file's (a link, no upload box), and would
        # leave the page's form unable to send the new rows' files.
        return True

    def save_new(self, form, commit=True):
        form.instance.uploaded_by_id = self.request.user.pk
        return super().save_new(form, commit)

    def save(self, commit=True):
        before = described(self.instance)
        saved = super().save(commit)
        if commit:
            after = described(self.instance)
            action = AuditEntry.Action.CHANGE
            record(self.request, self.instance, action, {AUDIT_KEY: before}, {AUDIT_KEY: after})
        return saved


class DocumentInline(GenericTabularInline):
    model = Document
    form = DocumentForm
    formset = DocumentFormSet
    extra = 1
    verbose_name = "附件"
    verbose_name_plural = "附件"
    readonly_fields = ["stored", "size_shown", "uploaded"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.request = request  # a class made for this request by the formset factory
        return formset

    def get_fields(self, request, obj=None):
        # An upload box for those who may attach; a link to each file for everyone.
        file = "file" if self.may_edit(request, obj) else "stored"
        return ["kind", "title", file, "size_shown", "uploaded"]

    def record_admin(self):
        return self.admin_site._registry.get(self.parent_model)

    def may_edit(self, request, obj):
        """Whether the user may change the record (`obj`; None on its add page)."""
        parent = self.record_admin()
        if parent is None:
            return False
        if obj is None:
            return parent.has_add_permission(request)
        return parent.has_change_permission(request, obj)

    def has_add_permission(self, request, obj):
        return self.may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.may_edit(request, obj)

    def has_view_permission(self, request, obj=None):
        parent = self.record_admin()
        return parent is not None and parent.has_view_or_change_permission(request, obj)

    @admin.display(description="文件")
    def stored(self, obj):
        if not obj.pk:
            return self.get_empty_value_display()
        url = reverse("documents:file", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)

    @admin.display(description="大小")
    def size_shown(self, obj):
        return filesizeformat(obj.size) if obj.pk else self.get_empty_value_display()

    @admin.display(description="上传")
    def uploaded(self, obj):
        if not obj.pk:
            return self.get_empty_value_display()
        at = timezone.localtime(obj.uploaded_at).strftime("%Y-%m-%d %H:%M")
        who = obj.uploaded_by.get_username() if obj.uploaded_by else "—"
        return "%s %s" % (at, who)


def attach_to_pairings(site):
    """The district pairings' admin (counties, below this app) gets the 附件 too: their
    agreements are what auditors ask for."""
    pairing_admin = site._registry[Pairing]
    pairing_admin.inlines = [*pairing_admin.inlines, DocumentInline]


attach_to_pairings(admin.site)
