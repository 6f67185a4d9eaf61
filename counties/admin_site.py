"""The admin site as hujin's staff work in it: its menu (the index and the sidebar) lists the
work's sections, each holding the screens of that work whichever app their models live in,
and each section has a page of its own. counties/apps.py makes Django's default site one of
these (INSTALLED_APPS keeps plain django.contrib.admin).
"""

from django.apps import apps
from django.contrib import admin
from django.http import Http404
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html

# (slug, name, the models by label, in the order listed). The data work first, then the
# reference data, the people who do it, and what was done.
SECTIONS = [
    ("project", "项目", ["projects.project", "projects.programme"]),
    ("fund", "资金", ["projects.fund", "projects.fundallocation"]),
    ("personnel", "干部人才", ["personnel.cadre", "personnel.exchangeposting", "personnel.batch"]),
    ("park", "园区", ["projects.industrialpark", "projects.industrialparkyear"]),
    ("institution", "机构结对", ["institutions.institutionpairing", "institutions.institution"]),
    ("indicator", "指标", ["indicators.indicatorfigure", "indicators.indicator"]),
    ("import", "导入与批次", ["projects.importbatch", "projects.headeralias"]),
    (
        "place",
        "区划与结对",
        [
            "counties.prefecture",
            "counties.county",
            "counties.village",
            "counties.shanghaidistrict",
            "counties.pairing",
            "counties.formerdivision",
        ],
    ),
    ("user", "用户与角色", ["auth.user", "auth.group"]),
    ("record", "操作记录", ["counties.auditentry", "django_tasks_database.dbtaskresult"]),
]
# Where a screen no section names goes, so that registering one never hides it.
OTHERS = ("other", "其他")


class HujinAdminSite(admin.AdminSite):
    """Django's admin site with hujin's menu: SECTIONS, in their order."""

    def get_urls(self):
        section = path("section/<slug:slug>/", self.admin_view(self.section_index), name="section")
        return [section, *super().get_urls()]

    def get_app_list(self, request, app_label=None):
        """The sections holding what the user may see (of the app `app_label` only, if
        given), each as Django's app entries are, with the models' labels for the
        breadcrumbs (templates/admin/section_crumb.html)."""
        models = {}
        for app in self._build_app_dict(request, app_label).values():
            for model in app["models"]:
                model["label"] = model["model"]._meta.label_lower
                models[model["label"]] = model
        sections = []
        for slug, name, labels in SECTIONS:
            shown = [models.pop(label) for label in labels if label in models]
            if shown:
                sections.append(self.section(slug, name, shown))
        if models:
            sections.append(self.section(*OTHERS, sorted(models.values(), key=lambda m: m["name"])))
        return sections

    def app_index(self, request, app_label, extra_context=None):
        # An app's page lists the sections holding its screens, under the app's own name.
        title = apps.get_app_config(app_label).verbose_name
        return super().app_index(request, app_label, {"title": title, **(extra_context or {})})

    def section(self, slug, name, models):
        return {
            "name": name,
            "app_label": slug,
            "app_url": reverse("admin:section", args=[slug], current_app=self.name),
            "has_module_perms": True,
            "models": models,
        }

    def section_index(self, request, slug, extra_context=None):
        """A section's page: its screens, as Django's page of an app lists the app's."""
        sections = [s for s in self.get_app_list(request) if s["app_label"] == slug]
        if not sections:
            raise Http404("没有这个栏目，或您没有查看它的权限。")
        context = {
            **self.each_context(request),
            "title": sections[0]["name"],
            "subtitle": None,
            "app_list": sections,
            "app_label": slug,
            **(extra_context or {}),
        }
        request.current_app = self.name
        return TemplateResponse(request, "admin/app_index.html", context)


def boolean_icon(value):
    """The admin's yes/no icon, said in Chinese: Django's own writes alt="True"."""
    icon, said = {True: ("yes", "是"), False: ("no", "否"), None: ("unknown", "未知")}[value]
    return format_html('<img src="{}" alt="{}">', static("admin/img/icon-%s.svg" % icon), said)
