"""A report's import in the admin: upload → preview → confirm, two plain views over the engine
and a stored upload (the shape of wagtail's contrib/redirects import).

The upload view keeps the file in the shared storage (uploads.py) and runs the engine on it
as a dry run: the page shows the preview, the notices and warnings, or every error with the
refused rows to download. The confirm view hands the stored file to the task queue, where
a worker imports it for real, in one transaction, and removes it (reports.py); the user is
sent to the Job's page. A report type is a ReportType: its import function, its preview's
headers and its blank templates.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.http import content_disposition_header

from counties.admin import record, snapshot
from counties.models import AuditEntry
from counties.scopes import scope_of

from ..forms import LayoutForm, ReportConfirmForm, ReportUploadForm
from ..models import HeaderAlias
from ..models.aliases import report_columns
from . import reports
from .refusals import ImportFailed
from .reports import ReportType, run
from .uploads import Refusal, Upload, open_refusal

__all__ = ["ReportImportAdmin", "ReportType"]


@dataclass
class Outcome:
    """What the upload's dry run found: the engine's Report, or its refusal and the tokens of
    the refusal's files."""

    report: object = None
    failure: ImportFailed | None = None
    bad_rows_token: str = ""
    errors_token: str = ""
    preview_headers: tuple = ()

    @property
    def file(self):
        return self.report.files[0] if self.report else None


def carried(upload, sender, allowed):
    """What the forms after a dry run carry: the stored upload, its sender, the boxes."""
    return {"token": upload.token, "sender": sender.pk if sender else "", **allowed}


class ReportImportAdmin:
    """A ModelAdmin mixin: the import screens of `report` (a ReportType), its blank templates
    and the downloads of a refusal's files. Importing needs the model's import permission
    (<app>.import_<model>; the 导入员 role has it)."""

    report: ReportType
    import_template_name = "admin/projects/report_import.html"

    def has_import_permission(self, request):
        opts = self.model._meta
        return request.user.has_perm("%s.import_%s" % (opts.app_label, opts.model_name))

    def url_name(self, name):
        opts = self.model._meta
        return "%s_%s_%s" % (opts.app_label, opts.model_name, name)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name=self.url_name("import")),
            path("process_import/", view(self.confirm_view), name=self.url_name("process_import")),
            path("import/layout/", view(self.layout_view), name=self.url_name("import_layout")),
            path("import/again/", view(self.again_view), name=self.url_name("import_again")),
            path(
                "import/template.<str:fmt>",
                view(self.template_view),
                name=self.url_name("import_template"),
            ),
            path(
                "import/bad-rows/<str:token>.csv",
                view(self.bad_rows_view),
                name=self.url_name("import_bad_rows"),
            ),
            path(
                "import/errors/<str:token>.txt",
                view(self.errors_view),
                name=self.url_name("import_errors"),
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        permitted = {"has_import_permission": self.has_import_permission(request)}
        return super().changelist_view(request, {**(extra_context or {}), **permitted})

    def check_import(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied

    def import_view(self, request):
        """The upload form; posted, the preview or the errors of a dry run on the file."""
        self.check_import(request)
        report, scope = self.report, scope_of(request.user)
        posted = request.method == "POST"
        form = ReportUploadForm(
            request.POST if posted else None,
            request.FILES if posted else None,
            scope=scope,
            allow=report.allow,
        )
        if not (posted and form.is_valid()):
            return self.render(request, form=form)
        upload = Upload.store(request.user, form.cleaned_data["import_file"], report.kind)
        return self.preview(request, upload, form.cleaned_data["sender"], form.allowed())

    def preview(self, request, upload, sender, allowed, layout_form=None):
        """The page of a dry run on a stored upload: its preview and the confirm button; or
        its errors, and where the file's headers lacked required columns, the form matching
        them once for the sender (layout_view). A refused upload is removed, unless it can
        be read again so (a box to tick, headers to match)."""
        report, scope = self.report, scope_of(request.user)
        refusal = Refusal(request.user)
        try:
            result = run(
                report,
                upload,
                request.user,
                dry_run=True,
                refusal=refusal.files,
                allowed={**allowed, "sender": sender},
            )
        except ImportFailed as failure:
            kept = refusal.keep()
            outcome = Outcome(
                failure=failure,
                bad_rows_token=kept.get("bad_rows", ""),
                errors_token=kept.get("errors", ""),
            )
            if failure.allowable in report.allow:
                # Refused by one check a person may overrule: tick its box, read it again.
                again_form = ReportConfirmForm(
                    initial=carried(upload, sender, allowed),
                    scope=scope,
                    allow=report.allow,
                    shown=(failure.allowable,),
                )
                return self.render(request, result=outcome, again_form=again_form)
            if failure.unmatched and request.user.has_perm("projects.add_headeralias"):
                upload.remember_unmatched(failure.unmatched)
                layout_form = layout_form or self.layout_form(
                    request,
                    upload,
                    initial=carried(upload, sender, allowed),
                )
            else:
                upload.remove()
                layout_form = None
            return self.render(request, result=outcome, layout_form=layout_form)
        refusal.keep()
        confirm_form = ReportConfirmForm(
            initial=carried(upload, sender, allowed),
            scope=scope,
            allow=report.allow,
        )
        outcome = Outcome(report=result, preview_headers=report.preview_headers)
        return self.render(request, result=outcome, confirm_form=confirm_form)

    def posted_upload(self, request, refusal):
        """(form, upload) of a POST naming one of the user's stored uploads (a
        ReportConfirmForm); None, with `refusal` as the message, for anything else: a
        second click, an upload confirmed or swept, a form the screens did not make."""
        if request.method != "POST":
            return None
        form = ReportConfirmForm(
            request.POST, scope=scope_of(request.user), allow=self.report.allow
        )
        upload = None
        if form.is_valid():
            upload = Upload.find(request.user.pk, form.cleaned_data["token"], self.report.kind)
        if upload is None:
            messages.error(request, refusal)
            return None
        return form, upload

    def again_view(self, request):
        """Previews a stored upload again, with the box its refusal named now ticked."""
        self.check_import(request)
        posted = self.posted_upload(request, "上传的文件已导入或已过期，请重新上传。")
        if posted is None:
            return redirect("admin:" + self.url_name("import"))
        form, upload = posted
        return self.preview(request, upload, form.cleaned_data["sender"], form.allowed())

    def layout_form(self, request, upload, data=None, initial=None):
        keys, unread = upload.unmatched()
        missing = [c for c in report_columns(self.report.kind) if c.key in keys]
        return LayoutForm(
            data,
            initial=initial,
            scope=scope_of(request.user),
            missing=missing,
            unread=unread,
            allow=self.report.allow,
        )

    def layout_view(self, request):
        """Saves the headers a refused upload's sender writes for the required columns it
        lacked (HeaderAlias rows of that sender), then previews the upload again."""
        self.check_import(request)
        back = redirect("admin:" + self.url_name("import"))
        if request.method != "POST" or not request.user.has_perm("projects.add_headeralias"):
            return back
        token = request.POST.get("token", "")
        upload = Upload.find(request.user.pk, token, self.report.kind)
        if upload is None:
            messages.error(request, "上传的文件已导入或已过期，请重新上传。")
            return back
        form = self.layout_form(request, upload, data=request.POST)
        if form.is_valid():
            sender = form.cleaned_data["sender"]
            aliases = [
                HeaderAlias(
                    report=self.report.kind,
                    column=key,
                    header=header,
                    sender=sender,
                    note=("%s导入“%s”时保存" % (request.user, upload.name))[:100],
                )
                for key, header in form.matched().items()
            ]
            try:
                for alias in aliases:
                    alias.full_clean()
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                with transaction.atomic():
                    for alias in aliases:
                        alias.save()
                        record(request, alias, AuditEntry.Action.CREATE, None, snapshot(alias))
                messages.success(
                    request,
                    "已保存%s的表头对应：%s。以后选定该报送单位的文件都按此读取。"
                    % (
                        sender,
                        "、".join("“%s”→%s" % (a.header, a.get_column_display()) for a in aliases),
                    ),
                )
                return self.preview(request, upload, sender, form.allowed())
        sender = form.cleaned_data.get("sender")
        return self.preview(request, upload, sender, form.allowed(), layout_form=form)

    def render(self, request, **context):
        report = self.report
        context.setdefault(
            "form", ReportUploadForm(scope=scope_of(request.user), allow=report.allow)
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "导入%s" % report.name,
            "report": report,
            **context,
        }
        return TemplateResponse(request, self.import_template_name, context)

    def confirm_view(self, request):
        """Enqueues the import of the stored upload the preview named (reports.confirm) and
        shows its Job's page, where the progress and then the result show."""
        self.check_import(request)
        posted = self.posted_upload(request, "未导入：上传的文件已导入或已过期，请重新上传。")
        if posted is None:
            return redirect("admin:" + self.url_name("import"))
        form, upload = posted
        if upload.job is not None:  # a second click, or the form posted again
            messages.info(request, "该文件已确认导入，正在后台处理，无需再次确认。")
            return redirect("jobs:detail", upload.job)
        job = reports.confirm(request.user, upload, form.cleaned_data["sender"], form.allowed())
        messages.success(
            request, "已提交导入，正在后台处理；可离开此页，稍后在“我的后台任务”查看结果。"
        )
        return redirect(job)

    def template_view(self, request, fmt):
        """The blank report template, as XLSX (with a sheet of rules) or CSV."""
        self.check_import(request)
        name = "%s模板.%s" % (self.report.name, fmt)
        if fmt == "xlsx":
            return FileResponse(self.report.template_xlsx(), as_attachment=True, filename=name)
        if fmt == "csv":
            response = HttpResponse(
                self.report.template_csv(), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = content_disposition_header(True, name)
            return response
        raise Http404

    def bad_rows_view(self, request, token):
        """The rows of the user's refused upload, each with its errors, to fix and send again."""
        return self.refusal_file(request, token, "bad_rows", "需修改的行.csv")

    def errors_view(self, request, token):
        """Every error of the user's refused upload, when there were more than the page lists."""
        return self.refusal_file(request, token, "errors", "全部错误.txt")

    def refusal_file(self, request, token, kind, filename):
        if not self.has_import_permission(request):
            raise Http404
        file = open_refusal(request.user.pk, token, kind)
        if file is None:  # another user's, never made, or swept
            raise Http404
        return FileResponse(file, as_attachment=True, filename=filename)
