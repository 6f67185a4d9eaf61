"""Every admin page a user reaches reads in Chinese: its text, what a screen reader says of it
(titles, alt texts, labels) and the strings the admin's scripts write (the role, permission
and place pickers, the calendar), from Django's catalogues or hujin's own (locale/)."""

import contextlib
import datetime
import io
import json
import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import django.contrib.admin
import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse
from django_tasks_db.models import DBTaskResult

from counties.models import AuditEntry, FormerDivision, Pairing, Scope, Village
from indicators.models import Indicator, IndicatorFigure
from personnel.models import Batch, ExchangePosting
from projects.models import (
    Fund,
    FundAllocation,
    HeaderAlias,
    ImportBatch,
    IndustrialPark,
    Project,
)
from tests.cast import make_cadre, make_project
from tests.projects.post_data import project_data

# An English word: three or more ASCII letters in a row.
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
# ASCII on purpose, not English UI: web and e-mail addresses, file names, identifiers written
# with underscores (the indicators' codes, the import commands, the password hasher), and a
# password hash's masked letters.
NOT_WORDS = re.compile(
    r"https?://\S+|[\w.+-]+@[\w-]+(\.[\w-]+)+|\S+\.(csv|xlsx|xls|ods|py)\b|\w*_\w*|\S*\*{4,}",
    re.I,
)
# Names of things rather than words to translate: file formats (the export screens offer
# "xlsx" and "csv", a 附件's types) and encodings the import screens name, the keys Django's
# multiple-select help names, the command line, the hash an import batch records (SHA-256),
# and the task queue's name ("default", its configuration's).
ALLOWED_WORDS = {
    # The file types a 附件 may be (documents.checks), as their makers name them.
    *("PDF", "JPG", "PNG", "GIF", "WebP", "Word", "PowerPoint", "OpenDocument", "OFD"),
    "CSV",
    "csv",
    "XLSX",
    "xlsx",
    "XLS",
    "ODS",
    "WPS",
    "Excel",
    "UTF",
    "BOM",
    "GBK",
    "Control",
    "Command",
    "Mac",
    "python",
    "SHA",
    "default",
}
# What a page shows or says: its text and the attributes that stand for text.
SPOKEN_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder")


class Visible(HTMLParser):
    """The text of a page outside scripts, styles and templates, and its spoken attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self.hidden += 1
        attrs = dict(attrs)
        self.texts.extend(attrs[name] for name in SPOKEN_ATTRIBUTES if attrs.get(name))
        if tag == "input" and attrs.get("type") in ("submit", "button", "reset"):
            self.texts.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.texts.append(data)


def english_words(html, allow=()):
    parser = Visible()
    parser.feed(html)
    found = []
    for text in parser.texts:
        for word in ENGLISH_WORD.findall(NOT_WORDS.sub(" ", text)):
            if word not in ALLOWED_WORDS and word not in allow and word not in found:
                found.append(word)
    return found


def assert_chinese(response, allow=()):
    assert response.status_code == 200, response
    found = english_words(response.content.decode(), allow)
    assert not found, "%s shows English: %s" % (response.wsgi_request.get_full_path(), found)


@pytest.fixture
def superuser(django_user_model):
    user = django_user_model.objects.create_superuser("张伟", password="不用密码登录-1")
    Scope.objects.create(user=user, everywhere=True)
    return user


@pytest.fixture
def chinese_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def cast(county, district, indicators, superuser):
    """One record of every kind the admin registers, each named in Chinese."""
    village = Village.objects.create(name="勐朗村", township="勐朗镇", county=county)
    batch = Batch.objects.create(number=11, start_year=2023, end_year=2025)
    cadre = make_cadre(county=county, batch=batch, term_start=datetime.date(2023, 7, 1))
    park = IndustrialPark.objects.create(
        name="澜沧沪滇产业园", county=county, partner_district=district, year_founded=2019
    )
    project = make_project(county=county, village=village, park=park)
    project.cadres.add(cadre)
    fund = Fund.objects.create(source="city", year=2023, county=county, amount=Decimal("100"))
    records = [
        county.prefecture,
        county,
        district,
        Pairing.objects.create(district=district, county=county, from_year=2017),
        village,
        FormerDivision.objects.create(
            code="532729",
            name="澜沧拉祜族自治县",
            level="county",
            in_use_from=1981,
            in_use_until=2003,
            current_codes="530828",
        ),
        batch,
        cadre,
        ExchangePosting.objects.create(
            name="李静",
            gender="female",
            direction="to_shanghai",
            county=county,
            district=district,
            home_unit="澜沧县农业农村局",
            host_unit="黄浦区农业农村委",
            start_date=datetime.date(2023, 3, 1),
        ),
        park,
        project,
        fund,
        FundAllocation.objects.create(fund=fund, project=project, amount=Decimal("60")),
        ImportBatch.objects.create(
            kind="yearly_report",
            channel="command",
            file_name="2023年报表.csv",
            file_sha256="0" * 64,
        ),
        HeaderAlias.objects.create(column="county", header="项目实施县", note="某县"),
        AuditEntry.objects.create(
            channel="admin",
            action="change",
            content_type=ContentType.objects.get_for_model(project),
            object_id=str(project.pk),
            object_repr="2023-LC-001 茶叶初制所",
            changes={"name": ["茶叶", "茶叶初制所"]},
        ),
        indicators["labour_jobs"],
        IndicatorFigure.objects.create(
            indicator=indicators["labour_jobs"],
            year=2023,
            level="county",
            county=county,
            target=Decimal("500"),
        ),
        DBTaskResult.objects.create(
            status="FAILED",
            args_kwargs={"args": [], "kwargs": {}},
            task_path="projects.tasks.import_report",
            backend_name="default",
            run_after=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC),
            exception_class_path="projects.importers.refusals.ImportFailed",
            traceback="第3行：县市区“某县”不存在。",
        ),
        Group.objects.get(name="录入员"),
        superuser,
    ]
    return {type(record): record for record in records}


def admin_urls(records):
    """Every page of every registered screen: its list, add, import and export pages, and
    the record's pages where the cast (or the reference data) has one."""
    urls = []
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        record = records.get(model) or model._default_manager.first()
        pages = [("changelist", []), ("add", []), ("import", []), ("export", [])]
        if record is not None:
            pages += [(name, [record.pk]) for name in ("change", "history", "delete")]
            pages.append(("password_change", [record.pk]))
        for name, args in pages:
            with contextlib.suppress(NoReverseMatch):
                urls.append(reverse("admin:%s_%s_%s" % (*info, name), args=args))
    return urls


def test_every_screen_of_every_registered_model_is_in_chinese(chinese_client, cast):
    # The indicators' codes are data (the catalogue's list shows them): "cadres", "parks".
    codes = set(Indicator.objects.values_list("code", flat=True))
    refused = []
    for url in admin_urls(cast):
        response = chinese_client.get(url)
        if response.status_code == 403:  # written by the system only: no add or delete page
            refused.append(url)
            continue
        assert_chinese(response, allow=codes)
    # The read-only screens (import batches, the audit trail, the task queue) refuse only
    # adding and deleting.
    assert refused and all(url.endswith(("/add/", "/delete/")) for url in refused), refused


def test_the_index_the_sections_and_the_apps_pages_are_in_chinese(chinese_client, cast):
    assert_chinese(chinese_client.get(reverse("admin:index")))
    for section in chinese_client.get(reverse("admin:index")).context["app_list"]:
        assert_chinese(chinese_client.get(section["app_url"]))
    for label in ("counties", "personnel", "projects", "indicators", "auth"):
        assert_chinese(chinese_client.get(reverse("admin:app_list", args=[label])))


def test_a_filtered_searched_and_paged_list_is_in_chinese(chinese_client, cast, county):
    url = reverse("admin:projects_project_changelist")
    assert_chinese(chinese_client.get(url, {"county__id__exact": county.pk, "q": "茶叶"}))
    assert_chinese(chinese_client.get(url, {"q": "没有这个项目"}))
    assert_chinese(chinese_client.get(url, {"_facets": "1"}))
    assert_chinese(chinese_client.get(url, {"_popup": "1", "_to_field": "id"}))


def test_the_confirmation_of_deleting_selected_records_is_in_chinese(chinese_client, county):
    project = make_project(county=county)

    response = chinese_client.post(
        reverse("admin:projects_project_changelist"),
        {"action": "delete_selected", "_selected_action": [project.pk]},
    )

    assert_chinese(response)
    assert "确定要删除所选的项目吗" in response.content.decode()


def test_deleting_lists_the_records_deleted_not_the_rows_that_link_them(chinese_client, cast):
    role = cast[Group]

    response = chinese_client.get(reverse("admin:auth_group_delete", args=[role.pk]))

    assert_chinese(response)
    page = response.content.decode()
    assert "以下相关记录将一并删除" in page
    assert "Group_permissions object" not in page
    assert "关系:" not in page


def test_a_form_sent_back_with_errors_is_in_chinese(chinese_client, cast, county):
    response = chinese_client.post(
        reverse("admin:projects_project_add"), project_data(county, code="", year="两千")
    )

    assert_chinese(response)
    assert "请更正以下错误。" in response.content.decode()


def test_adding_a_user_with_a_short_password_is_refused_in_chinese(chinese_client, cast):
    response = chinese_client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "李静",
            "usable_password": "true",
            "password1": "短1",
            "password2": "短1",
            "scope-TOTAL_FORMS": "1",
            "scope-INITIAL_FORMS": "0",
            "scope-MIN_NUM_FORMS": "0",
            "scope-MAX_NUM_FORMS": "1",
        },
    )

    assert_chinese(response)
    assert "密码太短，至少需要 8 个字符。" in response.content.decode()


def test_the_user_add_form_says_what_comes_after_in_chinese(chinese_client, cast):
    response = chinese_client.get(reverse("admin:auth_user_add"))

    assert_chinese(response)
    assert "创建用户后，即可设置角色、数据范围等其他选项。" in response.content.decode()


def test_setting_a_users_password_warns_in_chinese(chinese_client, cast, superuser):
    response = chinese_client.get(reverse("admin:auth_user_password_change", args=[superuser.pk]))

    assert_chinese(response)
    assert "停用后，该用户现在的密码将失效。" in response.content.decode()


def test_password_change_login_and_logout_pages_are_in_chinese(chinese_client, client, cast):
    assert_chinese(chinese_client.get(reverse("admin:password_change")))
    assert_chinese(chinese_client.get(reverse("admin:password_change_done")))
    # Logging out goes to the site's login page (LOGOUT_REDIRECT_URL).
    assert chinese_client.post(reverse("admin:logout")).status_code == 302
    assert_chinese(client.get(reverse("admin:login")))
    response = client.post(reverse("admin:login"), {"username": "张伟", "password": "不对"})
    assert_chinese(response)


def test_yes_and_no_icons_are_said_in_chinese(chinese_client, cast):
    page = chinese_client.get(reverse("admin:counties_county_changelist")).content.decode()

    assert 'alt="是"' in page and 'alt="否"' in page
    assert 'alt="True"' not in page and 'alt="False"' not in page


def test_the_change_history_shows_labels_and_names_not_codes(chinese_client, county):
    cadre = make_cadre(county=county, name="王芳")
    data = project_data(county, category="industry", cadres=[str(cadre.pk)])
    response = chinese_client.post(reverse("admin:projects_project_add"), data)
    assert response.status_code == 302
    project = Project.objects.get(code="2023-LC-002")
    data = project_data(county, category="education", status="building", cadres=[])
    response = chinese_client.post(
        reverse("admin:projects_project_change", args=[project.pk]), data
    )
    assert response.status_code == 302

    response = chinese_client.get(reverse("admin:projects_project_history", args=[project.pk]))

    assert_chinese(response)
    lines = [
        " ".join(line.split())
        for line in re.findall(r"<li>(.*?)</li>", response.content.decode(), re.S)
    ]
    assert "项目类别：（空） → 产业发展" in lines
    assert "负责干部：（空） → 王芳（党政干部）" in lines
    assert "项目类别：产业发展 → 教育帮扶" in lines
    assert "项目状态：计划 → 在建" in lines
    assert "负责干部：王芳（党政干部） → （空）" in lines
    assert not any("industry" in line or "[]" in line for line in lines), lines


def test_the_import_screen_lists_the_reports_columns_by_their_chinese_headers(chinese_client, cast):
    response = chinese_client.get(reverse("admin:projects_project_import"))

    assert_chinese(response)
    page = response.content.decode()
    columns = re.search(r'<ul class="report-columns">(.*?)</ul>', page, re.S).group(1)
    headers = re.findall(r"<li>(.*?)</li>", columns)
    assert headers[:3] == ["项目编号*", "项目名称*", "年度*"]
    assert "上海援助资金（万元）*" in headers
    # The format is read from the file: there is nothing to choose.
    assert 'name="format"' not in page and 'name="input_format"' not in page


def test_the_indicator_import_screen_lists_its_columns_too(chinese_client, cast):
    response = chinese_client.get(reverse("admin:indicators_indicatorfigure_import"))

    assert_chinese(response)
    assert '<ul class="report-columns">' in response.content.decode()


def js_catalogue(client):
    """The admin's JavaScript catalogue, {msgid: translation}, as /admin/jsi18n/ serves it."""
    body = client.get(reverse("admin:jsi18n")).content.decode()
    return json.loads(re.search(r"const newcatalog = (\{.*?\});\n", body, re.S).group(1))


def admin_script_msgids():
    """Every string the admin's own scripts translate (gettext, ngettext's singular,
    pgettext's context and string as the catalogue keys them)."""
    scripts = Path(django.contrib.admin.__file__).parent / "static" / "admin" / "js"
    quoted = r"""(['"])((?:\\.|(?!\1).)*)\1"""
    msgids = set()
    for path in scripts.glob("*.js"):
        source = path.read_text()
        for match in re.finditer(r"\bn?gettext\(\s*" + quoted, source):
            msgids.add(match.group(2).replace('\\"', '"').replace("\\'", "'"))
        for match in re.finditer(r"\bpgettext\(\s*" + quoted + r"\s*,\s*" + quoted, source):
            msgids.add("%s\x04%s" % (match.group(2), match.group(4)))
    return msgids


def test_the_role_and_place_pickers_speak_chinese(chinese_client):
    catalogue = js_catalogue(chinese_client)

    assert catalogue["Choose all %s"] == "添加全部%s"
    assert catalogue["Remove all %s"] == "移除全部%s"
    assert catalogue["Available %s"] == "可选的%s"
    assert catalogue["Chosen %s"] == "已选的%s"
    assert (
        catalogue['Choose %s by selecting them and then select the "Choose" arrow button.']
        == "选中要添加的%s，再点击“添加”箭头。"
    )
    assert (
        catalogue['Remove %s by selecting them and then select the "Remove" arrow button.']
        == "选中要移除的%s，再点击“移除”箭头。"
    )


def test_every_string_of_the_admins_scripts_has_chinese(chinese_client):
    catalogue = js_catalogue(chinese_client)
    msgids = admin_script_msgids()
    assert len(msgids) > 50  # the scripts were found and read

    untranslated = []
    for msgid in sorted(msgids):
        translation = catalogue.get(msgid)
        text = " ".join(translation) if isinstance(translation, list) else translation or ""
        if translation is None or ENGLISH_WORD.search(re.sub(r"%\(\w+\)s|%s", "", text)):
            untranslated.append((msgid, translation))
    assert not untranslated


def uploaded(name, text):
    file = io.BytesIO(text.encode("utf-8"))
    file.name = name
    return file


REPORT_HEADER = "项目编号,项目名称,年度,县市区,项目类别,项目状态,上海援助资金（万元）\r\n"


def test_the_import_preview_and_refusal_pages_are_in_chinese(chinese_client, cast):
    url = reverse("admin:projects_project_import")
    good = REPORT_HEADER + "2023-LC-009,村道硬化,2023,澜沧拉祜族自治县,基础设施,完工,12\r\n"
    bad = REPORT_HEADER + "2023-LC-009,村道硬化,两千,火星县,基础设施,完工,-3\r\n"
    # Without 县市区: the page offers to match another header to it.
    unmatched = (
        "项目编号,项目名称,年度,实施地点,项目类别,项目状态,上海援助资金（万元）\r\n"
        "2023-LC-009,村道硬化,2023,澜沧拉祜族自治县,基础设施,完工,12\r\n"
    )

    preview = chinese_client.post(url, {"import_file": uploaded("好.csv", good)})
    refusal = chinese_client.post(url, {"import_file": uploaded("错.csv", bad)})
    layout = chinese_client.post(url, {"import_file": uploaded("缺列.csv", unmatched)})

    assert_chinese(preview)
    assert "确认导入" in preview.content.decode()
    assert_chinese(refusal)
    assert "文件未通过校验，未写入任何数据" in refusal.content.decode()
    assert_chinese(layout)
    assert "表头对应" in layout.content.decode()
