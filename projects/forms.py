from django import forms
from django.conf import settings
from django.db.models import Q

from counties.filters import YEAR_ERROR
from counties.models import FIRST_YEAR, LAST_YEAR, County
from personnel.models import Cadre

from .models import (
    SHANGHAI_SOURCES,
    ZERO,
    Project,
    beyond_shanghai_funds,
    cadres_elsewhere,
    shanghai_allocated,
)


def year_field():
    """An optional year of the registry's span, with the Chinese message of the filters."""
    return forms.IntegerField(
        label="年度",
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages=dict.fromkeys(("invalid", "min_value", "max_value"), YEAR_ERROR),
    )


class YearForm(forms.Form):
    """The landing page's year picker: the years that have projects in the scope (the
    user's, counties.scopes), this year, and the one asked for."""

    year = year_field()

    def __init__(self, *args, today, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        projects = Project.objects.visible_to(scope)
        years = set(projects.values_list("year", flat=True).distinct().order_by())
        years.add(today.year)
        if self.is_valid() and self.cleaned_data["year"]:
            years.add(self.cleaned_data["year"])
        self.fields["year"].widget = forms.Select(
            choices=[(y, "%s年" % y) for y in sorted(years, reverse=True)]
        )

    def chosen_year(self):
        """The year asked for; this year when none was asked for or the year is wrong."""
        if self.is_valid() and self.cleaned_data["year"]:
            return self.cleaned_data["year"]
        return self.today.year


ALLOW_FIELDS = {
    # The two checkboxes a person ticks after looking at what the preview refused; their
    # labels are the words the refusals name (importers.checks).
    "allow_moves": (
        "允许变更年度或县市区",
        "本文件中改变已登记项目年度或县市区的行，确认无误后才可导入。",
    ),
    "allow_large_amounts": (
        "确认大额资金无误",
        "上海援助资金超过上限或远超本县以往项目的行，核对不是以元填写后才可导入。",
    ),
}


def sender_field(scope, required=False, hidden=False):
    """报送单位: the county whose office sent the file, among the user's; its saved layout
    (HeaderAlias.sender) is read too."""
    counties = County.objects.visible_to(scope).order_by("code")
    field = forms.ModelChoiceField(
        counties,
        label="报送单位",
        required=required,
        empty_label="（不指定）",
        help_text="报表由哪个县市区报送；选定后，也按该县市区保存的表头对应读取。",
        error_messages={"required": "请选定报送单位：表头对应按报送单位保存。"},
    )
    if hidden:
        field.widget = forms.HiddenInput()
    return field


class AllowFields:
    def add_allow_fields(self, allow, hidden, shown=()):
        for name in allow:
            label, help_text = ALLOW_FIELDS[name]
            widget = forms.HiddenInput if hidden and name not in shown else forms.CheckboxInput
            self.fields[name] = forms.BooleanField(
                label=label, required=False, help_text=help_text, widget=widget
            )

    def allowed(self):
        """The checkboxes of ALLOW_FIELDS the form holds, by name: ticked or not."""
        fields = [name for name in ALLOW_FIELDS if name in self.fields]
        return {name: bool(self.cleaned_data.get(name)) for name in fields}


class ReportUploadForm(AllowFields, forms.Form):
    """A report's upload. Refuses a file over IMPORT_MAX_UPLOAD_MB before anything stores
    or reads it; what the file holds is the engine's to judge (importers.workbook). The
    sender is the user's county when its scope holds just one."""

    import_file = forms.FileField(
        label="报表文件",
        help_text="XLSX、XLS（含WPS的ET）、ODS或CSV；格式按文件内容自动识别。",
        error_messages={"required": "请选择要导入的报表文件。"},
    )

    def __init__(self, *args, scope, allow=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sender"] = sender_field(scope)
        if scope.county_ids is not None and len(scope.county_ids) == 1:
            self.fields["sender"].initial = scope.county_ids[0]
        self.add_allow_fields(allow, hidden=False)

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                "文件过大（%(size).1f MB），上限为%(limit)d MB。更大的文件请用命令行导入。"
                % {"size": upload.size / (1 << 20), "limit": limit >> 20}
            )
        return upload


class ReportConfirmForm(AllowFields, forms.Form):
    """The confirm step: the token of an upload the preview stored, its sender and the
    checkboxes ticked at the upload. The file and its name are those stored with the token
    (importers.uploads); nothing else the page posts is read."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=32)

    def __init__(self, *args, scope, allow=(), shown=(), **kwargs):
        """`shown`: the checkboxes offered to tick (after a refusal they would accept)."""
        super().__init__(*args, **kwargs)
        self.fields["sender"] = sender_field(scope, hidden=True)
        self.add_allow_fields(allow, hidden=True, shown=shown)


class LayoutForm(AllowFields, forms.Form):
    """A refused upload's header cells matched, once, to the required columns hujin did not
    find among them, for its sender: saved as that sender's HeaderAlias rows (its layout),
    then the upload is read again. `missing`: the columns not found (ReportColumn);
    `unread`: the header cells not read."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=32)

    def __init__(self, *args, scope, missing, unread, allow=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sender"] = sender_field(scope, required=True)
        self.add_allow_fields(allow, hidden=True)
        self.missing = {column.key: column for column in missing}
        choices = [("", "（文件中没有这一列）"), *((label, label) for label in unread)]
        for key, column in self.missing.items():
            self.fields["column_" + key] = forms.ChoiceField(
                label=column.header, choices=choices, required=False
            )

    def matched(self):
        """{column key: the file's header} the user chose."""
        chosen = {key: self.cleaned_data.get("column_" + key) for key in self.missing}
        return {key: header for key, header in chosen.items() if header}

    def clean(self):
        cleaned = super().clean()
        headers = [cleaned.get("column_" + key) for key in self.missing]
        headers = [header for header in headers if header]
        if not headers:
            raise forms.ValidationError("请至少为一列选定文件中的表头。")
        if len(set(headers)) < len(headers):
            raise forms.ValidationError("同一个表头不能对应两列。")
        return cleaned


class ProjectAdminForm(forms.ModelForm):
    """A project in the admin. Its cadres must serve its county (cadres_elsewhere(); a
    many-to-many field is set after the model's clean(), so the form checks them). The cadre
    choices hold only the user's scope (NarrowedChoices); the project's cadres outside it are
    neither shown nor dropped, but kept as they are. `scope` (the user's, counties.scopes)
    is set per request by the admin."""

    scope = None

    class Meta:
        model = Project
        fields = [
            "code",
            "name",
            "category",
            "year",
            "status",
            "county",
            "village",
            "park",
            "start_date",
            "end_date",
            "shanghai_funds",
            "other_funds",
            "beneficiaries",
            "description",
            "notes",
            "cadres",
        ]

    def clean(self):
        cleaned = super().clean()
        county, cadres = cleaned.get("county"), cleaned.get("cadres")
        if cadres is None:
            return cleaned
        hidden = Cadre.objects.none()
        if self.instance.pk and self.scope is not None and not self.scope.everywhere:
            visible = Cadre.objects.visible_to(self.scope)
            hidden = self.instance.cadres.exclude(pk__in=visible.values("pk"))
            cleaned["cadres"] = Cadre.objects.filter(Q(pk__in=cadres) | Q(pk__in=hidden))
        if county is None:
            return cleaned
        for message in cadres_elsewhere(county, cadres.select_related("county", "prefecture")):
            self.add_error("cadres", message)
        outside = sum(not cadre.serves(county) for cadre in hidden)
        if outside:
            self.add_error(
                "county",
                "该项目另有%(count)d名负责干部在您的数据范围以外，不能负责%(county)s的项目；"
                "请联系数据范围更大的用户修改。" % {"count": outside, "county": county},
            )
        return cleaned


class AllocationFormSet(forms.BaseInlineFormSet):
    """A project's allocation rows in the admin: their Shanghai funds, with the project's
    stored ones the form does not show (outside the user's scope), may not exceed the
    project's 上海援助资金 as the form sets it."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.summed_by_formset = True  # FundAllocation.clean leaves the sum here
        return form

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        entered = ZERO
        shown = []
        for form in self.forms:
            shown.append(form.instance.pk)
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            fund, amount = form.cleaned_data.get("fund"), form.cleaned_data.get("amount")
            if fund is not None and amount is not None and fund.source in SHANGHAI_SOURCES:
                entered += amount
        allocated = shanghai_allocated(self.instance, excluding=shown) + entered
        refusal = beyond_shanghai_funds(self.instance, allocated, entered)
        if refusal and not self.no_worse(allocated):
            raise forms.ValidationError(refusal)

    def no_worse(self, allocated):
        """Whether a project stored over its 上海援助资金 (before the rule, or through a fund
        outside the user's scope) is left no further over: a form that changes something
        else (its name) is not refused for what it cannot change."""
        if self.instance.pk is None:
            return False
        stored = Project.objects.filter(pk=self.instance.pk).values_list(
            "shanghai_funds", flat=True
        )
        stored_funds = stored.first()
        stored_allocated = shanghai_allocated(Project(pk=self.instance.pk))
        return allocated <= stored_allocated and self.instance.shanghai_funds >= stored_funds
