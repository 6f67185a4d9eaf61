"""User text is escaped wherever it is shown: browsing pages, the admin, the import preview
and error list. Every free-text field of one record of each kind holds a script payload (cut
to the field's length), and no page may contain it unescaped."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import escape

from counties.models import AuditEntry, FormerDivision, Pairing, Village
from indicators.models import Indicator, IndicatorFigure
from personnel.models import Batch, Cadre, ExchangePosting
from projects.models import (
    Fund,
    FundAllocation,
    HeaderAlias,
    ImportBatch,
    IndustrialPark,
    IndustrialParkYear,
    Programme,
    Project,
)

# (payload, a part of it that must never appear raw; fields shorter than the part are cut
# too short to check, but their escaped text still shows that escaping happened)
PAYLOADS = [
    ("<script>alert(1)</script>", "<script>alert"),
    ('"><img src=x onerror=alert(1)>', "<img src=x"),
]
APPS = {"counties", "personnel", "projects", "indicators"}


def free_text_fields(model):
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField)) and not field.choices
    ]


def fill(obj, payload):
    """Writes the payload into every free-text field of the record, cut to the field's length."""
    for field in free_text_fields(type(obj)):
        setattr(obj, field.attname, payload[: field.max_length] if field.max_length else payload)
    obj.save()
    return obj


@pytest.fixture(params=PAYLOADS, ids=["script", "img-onerror"])
def payload(request):
    return request.param


@pytest.fixture
def cast(payload, county, district, admin_user):
    """One record of each kind, every free-text field holding the payload."""
    text, _ = payload
    prefecture = fill(county.prefecture, text)
    county = fill(county, text)
    district = fill(district, text)
    pairing = fill(Pairing(district=district, county=county, from_year=2017), text)
    village = fill(Village(county=county, township="x"), text)
    former = fill(FormerDivision(level="county", in_use_from=1981, in_use_until=2003), text)
    alias = fill(HeaderAlias(column="county"), text)
    batch = Batch.objects.create(number=11, start_year=2023, end_year=2025)
    cadre = fill(
        Cadre(
            gender="male",
            kind="official",
            county=county,
            batch=batch,
            term_start=datetime.date(2023, 7, 1),
        ),
        text,
    )
    # A professional posted to the prefecture, in no numbered batch.
    posted = fill(
        Cadre(
            gender="female",
            kind="doctor",
            prefecture=prefecture,
            term_start=datetime.date(2024, 1, 1),
        ),
        text,
    )
    posting = fill(
        ExchangePosting(
            gender="female",
            direction="to_shanghai",
            county=county,
            district=district,
            start_date=datetime.date(2023, 3, 1),
        ),
        text,
    )
    park = fill(IndustrialPark(county=county, partner_district=district, year_founded=2019), text)
    park_year = fill(IndustrialParkYear(park=park, year=2023, enterprises=3), text)
    programme = fill(Programme(county=county, first_year=2023), text)
    batch_record = fill(ImportBatch(kind="yearly_report", channel="admin", user=admin_user), text)
    project = fill(
        Project(
            county=county,
            village=village,
            park=park,
            programme=programme,
            category="industry",
            year=2023,
            shanghai_funds=Decimal("120"),
            import_batch=batch_record,
        ),
        text,
    )
    project.cadres.add(cadre, posted)
    fund = fill(Fund(source="city", year=2023, county=county, amount=Decimal("100")), text)
    allocation = FundAllocation.objects.create(fund=fund, project=project, amount=Decimal("60"))
    audit = fill(
        AuditEntry(
            channel="admin",
            action="change",
            content_type_id=1,
            user=admin_user,
            changes={"name": [text, text]},
        ),
        text,
    )
    indicator = fill(Indicator(group="labour"), text)
    figure = fill(
        IndicatorFigure(
            indicator=indicator, year=2023, level="county", county=county, target=Decimal("5")
        ),
        text,
    )
    objects = [
        prefecture,
        county,
        district,
        pairing,
        village,
        former,
        alias,
        batch,
        cadre,
        posting,
        park,
        park_year,
        programme,
    ]
    objects += [batch_record, project, fund, allocation, audit, indicator, figure]
    return {"objects": objects, "project": project, "county": county, "park": park,
            "programme": programme, "cadres": [cadre, posted]}  # fmt: skip


def assert_escaped(response, payload, must_show=True):
    """The page shows no raw payload; with `must_show`, it shows the payload escaped."""
    text, raw = payload
    url = response.wsgi_request.get_full_path()
    content = response.content.decode()
    assert response.status_code == 200, url
    assert raw not in content, url
    if must_show:
        assert escape(raw) in content or escape(text[:6]) in content, url


def test_every_model_with_free_text_has_a_record_in_the_cast(cast):
    models_with_text = {
        model
        for model in admin.site._registry
        if model._meta.app_label in APPS and free_text_fields(model)
    }

    assert models_with_text <= {type(obj) for obj in cast["objects"]}


def browsing_pages(cast):
    project, county, park = cast["project"], cast["county"], cast["park"]
    return [
        reverse("home"),
        reverse("projects:list"),
        project.get_absolute_url(),
        reverse("counties:list"),
        county.get_absolute_url(),
        reverse("personnel:list"),
        *[cadre.get_absolute_url() for cadre in cast["cadres"]],
        reverse("parks:list"),
        park.get_absolute_url(),
        reverse("programmes:list"),
        cast["programme"].get_absolute_url(),
        reverse("funds:list"),
    ]


def test_browsing_pages_escape_every_field(user_client, cast, payload):
    for url in browsing_pages(cast):
        # The landing page shows counts only.
        assert_escaped(user_client.get(url), payload, must_show=url != reverse("home"))


def test_search_words_are_escaped_when_shown_back(user_client, cast, payload):
    text, _ = payload
    for url in browsing_pages(cast):
        assert_escaped(user_client.get(url, {"q": text, "year": text}), payload, must_show=False)


def admin_url(obj, view, *args):
    meta = obj._meta
    return reverse("admin:%s_%s_%s" % (meta.app_label, meta.model_name, view), args=args)


def test_admin_lists_and_forms_escape_every_field(admin_client, cast, payload):
    text, _ = payload
    for obj in cast["objects"]:
        changelist = admin_url(obj, "changelist")
        shows = bool(free_text_fields(type(obj)))  # a batch has only numbers
        assert_escaped(admin_client.get(changelist), payload, shows)
        assert_escaped(admin_client.get(changelist, {"q": text}), payload, must_show=False)
        assert_escaped(admin_client.get(admin_url(obj, "change", obj.pk)), payload, shows)
        assert_escaped(admin_client.get(admin_url(obj, "history", obj.pk)), payload, shows)


# The same payloads as cells of an uploaded report

IMPORT = reverse("admin:projects_project_import")
HEADER = [
    "项目编号",
    "项目名称",
    "年度",
    "县市区",
    "项目类别",
    "项目状态",
    "上海援助资金（万元）",
    "备注",
]


def upload(admin_client, rows):
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *rows])
    file = io.BytesIO(buffer.getvalue().encode())
    file.name = "report.csv"
    return admin_client.post(IMPORT, {"format": "0", "resource": "0", "import_file": file})


def test_the_upload_preview_escapes_the_cells(admin_client, county, payload):
    text, _ = payload
    response = upload(
        admin_client, [[text[:40], text, "2023", county.code, "产业发展", "在建", "1", text]]
    )

    assert "确认导入" in response.content.decode()
    assert_escaped(response, payload)


def test_the_error_list_escapes_the_cells_and_bad_rows_are_a_download(
    admin_client, county, payload
):
    text, _ = payload
    response = upload(admin_client, [["LC-1", text, text, text, text, text, text, text]])

    assert "文件未通过校验" in response.content.decode()
    assert_escaped(response, payload)
    token = response.context["result"].bad_rows_token
    bad = admin_client.get(reverse("admin:projects_project_import_bad_rows", args=[token]))
    # Never shown as a page: a CSV attachment, and browsers may not sniff it into HTML.
    assert bad["Content-Type"].startswith("text/csv")
    assert bad["Content-Disposition"].startswith("attachment")
    assert bad["X-Content-Type-Options"] == "nosniff"


def test_a_project_code_with_a_slash_has_its_page_and_list_row(user_client, county):
    # Found by the payloads above ("</script>"): codes like LC/2023/001 broke every list.
    Project.objects.create(code="LC/2023/001", name="茶叶初制所", county=county, year=2023)

    listing = user_client.get(reverse("projects:list"))
    page = user_client.get("/projects/LC/2023/001/")

    assert listing.status_code == 200
    assert 'href="/projects/LC/2023/001/"' in listing.content.decode()
    assert page.status_code == 200
    assert "茶叶初制所" in page.content.decode()
