"""Every registry imports through the engine (projects/importers/registries.py): a good file
writes its records, a bad one nothing and every error with its row and column, the same file
again changes nothing, a batch is undone, the scope holds, and what the admin exports imports
back unchanged."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from counties.models import AuditEntry, Pairing, Scope, Village
from institutions.models import Institution, InstitutionPairing
from personnel.models import Cadre, ExchangePosting
from projects.importers import ImportFailed, rollback_batch
from projects.importers.registries import (
    ALL,
    ALLOCATIONS,
    CADRES,
    DISTRICT_PAIRINGS,
    FUNDS,
    INSTITUTION_PAIRINGS,
    INSTITUTIONS,
    PARK_YEARS,
    PARKS,
    POSTINGS,
    VILLAGES,
)
from projects.importers.registry import import_registry
from projects.models import (
    Fund,
    FundAllocation,
    ImportBatch,
    IndustrialPark,
    IndustrialParkYear,
    Programme,
    Project,
)
from tests.jobs import confirmed


def csv_file(name, header, *rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return (name, io.BytesIO(("\ufeff" + out.getvalue()).encode("utf-8")))


def xlsx_file(name, header, *rows, title=None):
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return (name, out)


def run(registry, *files, user=None, dry_run=False):
    return import_registry(registry, files=list(files), user=user, dry_run=dry_run)


def errors_of(registry, *files, user=None):
    with pytest.raises(ImportFailed) as failure:
        run(registry, *files, user=user)
    return failure.value.errors


def counts(report):
    return report.total("created"), report.total("updated"), report.total("unchanged")


@pytest.fixture
def county_user(django_user_model, county):
    """An 录入员 of 澜沧 only."""
    user = django_user_model.objects.create_user("lancang-clerk", password="x", is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=["录入员", "导入员"]))
    scope = Scope.objects.create(user=user)
    scope.counties.add(county)
    return user


# Villages ------------------------------------------------------------------------------

VILLAGE_HEADER = ["县市区", "乡镇", "村名", "乡村振兴示范村", "边境小康村"]


def test_villages_import_with_a_title_row_then_again_unchanged(county):
    file = xlsx_file(
        "村.xlsx",
        VILLAGE_HEADER,
        ["澜沧县", "勐朗镇", "勐朗村", "是", "否"],
        ["530828", "惠民镇", "芒景村", "否", "是"],
        title="澜沧县村名录",
    )
    report = run(VILLAGES, file)

    assert counts(report) == (2, 0, 0)
    village = Village.objects.get(name="芒景村")
    assert (village.county, village.township, village.is_border_xiaokang) == (
        county,
        "惠民镇",
        True,
    )
    # 澜沧县 is read as the county's short form, and said so.
    assert any("澜沧" in line for line in report.remarks.lines())

    file[1].seek(0)
    assert counts(run(VILLAGES, file)) == (0, 0, 2)


def test_a_bad_village_file_writes_nothing_and_names_every_error(county):
    errors = errors_of(
        VILLAGES,
        csv_file(
            "村.csv",
            VILLAGE_HEADER,
            ["不存在县", "勐朗镇", "勐朗村", "是", "否"],
            ["澜沧拉祜族自治县", "勐朗镇", "", "是", "否"],
            ["澜沧拉祜族自治县", "惠民镇", "芒景村", "也许", "否"],
            ["澜沧拉祜族自治县", "惠民镇", "芒景村", "否", "否"],
        ),
    )

    assert any(line.startswith("第2行 县市区：") and "不存在县" in line for line in errors)
    assert any(line.startswith("第3行 村名：不能为空") for line in errors)
    assert any(line.startswith("第4行 乡村振兴示范村：") and "是" in line for line in errors)
    assert not Village.objects.exists()


def test_a_duplicate_row_is_refused_with_both_rows(county):
    errors = errors_of(
        VILLAGES,
        csv_file(
            "村.csv",
            VILLAGE_HEADER,
            ["澜沧拉祜族自治县", "惠民镇", "芒景村", "否", "否"],
            ["澜沧拉祜族自治县", "惠民镇", "芒景村", "是", "否"],
        ),
    )

    assert any("第3行" in line and "第2行" in line and "重复" in line for line in errors)
    assert not Village.objects.exists()


def test_a_village_batch_is_undone(county, admin_user):
    Village.objects.create(county=county, township="惠民镇", name="芒景村")
    report = run(
        VILLAGES,
        csv_file(
            "村.csv",
            VILLAGE_HEADER,
            ["澜沧拉祜族自治县", "惠民镇", "芒景村", "是", ""],
            ["澜沧拉祜族自治县", "勐朗镇", "勐朗村", "否", "否"],
        ),
        user=admin_user,
    )
    assert counts(report) == (1, 1, 0)
    assert Village.objects.get(name="芒景村").is_revitalization_demo

    restored, deleted = rollback_batch(batch=report.files[0].batch, user=admin_user)

    assert (restored, deleted) == (1, 1)
    assert list(Village.objects.values_list("name", "is_revitalization_demo")) == [
        ("芒景村", False)
    ]
    assert ImportBatch.objects.get().rolled_back_at is not None


def test_a_county_clerk_imports_only_their_county(county, menghai, county_user):
    errors = errors_of(
        VILLAGES,
        csv_file("村.csv", VILLAGE_HEADER, ["勐海县", "勐遮镇", "曼恩村", "否", "否"]),
        user=county_user,
    )
    assert errors == ["第2行 县市区：所在地不在您的数据范围内"]

    report = run(
        VILLAGES,
        csv_file("村.csv", VILLAGE_HEADER, ["澜沧拉祜族自治县", "勐朗镇", "勐朗村", "否", "否"]),
        user=county_user,
    )
    assert counts(report) == (1, 0, 0)


def test_an_undo_outside_the_scope_is_refused(county, menghai, county_user, admin_user):
    report = run(
        VILLAGES,
        csv_file("村.csv", VILLAGE_HEADER, ["勐海县", "勐遮镇", "曼恩村", "否", "否"]),
        user=admin_user,
    )
    from projects.importers import RollbackRefused

    with pytest.raises(RollbackRefused) as refusal:
        rollback_batch(batch=report.files[0].batch, user=county_user)
    assert "不在您的数据范围内" in str(refusal.value)
    assert Village.objects.filter(name="曼恩村").exists()


# Cadres --------------------------------------------------------------------------------

CADRE_HEADER = ["批次", "姓名", "性别", "类别", "上海派出单位", "在滇挂职岗位", "州市", "县市区"]
CADRE_HEADER += ["任期开始", "任期结束"]


def test_cadres_import_by_batch_name_and_sending_unit(county, batch12):
    report = run(
        CADRES,
        csv_file(
            "干部.csv",
            CADRE_HEADER,
            ["第12批", "测试甲", "男", "党政干部", "黄浦区发改委", "副县长", "普洱市", "澜沧县"]
            + ["2022年7月1日", ""],
            ["12", "测试乙", "女", "医生", "瑞金医院", "副院长", "普洱市", ""]
            + ["2022-07-01", "2025-06-30"],
        ),
    )

    assert counts(report) == (2, 0, 0)
    first = Cadre.objects.get(name="测试甲")
    assert (first.batch, first.county, first.prefecture) == (batch12, county, None)
    assert first.term_start == datetime.date(2022, 7, 1)
    second = Cadre.objects.get(name="测试乙")
    assert (second.county, second.prefecture) == (None, county.prefecture)

    # The end of a term, reported later: one record updated, the other unchanged; 州市
    # left out now keeps what is stored.
    report = run(
        CADRES,
        csv_file(
            "干部.csv",
            [h for h in CADRE_HEADER if h != "州市"],
            ["第12批", "测试甲", "男", "党政干部", "黄浦区发改委", "副县长", "澜沧县"]
            + ["2022-07-01", "2025-06-30"],
            ["第12批", "测试乙", "女", "医生", "瑞金医院", "副院长", ""]
            + ["2022-07-01", "2025-06-30"],
        ),
    )
    assert counts(report) == (0, 1, 1)
    assert Cadre.objects.get(name="测试甲").term_end == datetime.date(2025, 6, 30)


def test_a_roster_writes_the_batch_in_chinese_numerals_and_pads_names(county, batch12):
    report = run(
        CADRES,
        csv_file(
            "干部.csv",
            CADRE_HEADER,
            [
                "第十二批",
                "测　甲",
                "女",
                "医生",
                "瑞金医院",
                "副院长",
                "",
                "澜沧县",
                "2022-07-01",
                "",
            ],
        ),
    )

    cadre = Cadre.objects.get()
    assert (cadre.batch, cadre.name) == (batch12, "测甲")
    assert "提示：第2行 姓名：“测　甲”中的空格已去掉，按“测甲”导入" in list(report.remarks.lines())


def test_a_cadre_file_with_errors_names_each(county, batch12):
    errors = errors_of(
        CADRES,
        csv_file(
            "干部.csv",
            CADRE_HEADER,
            ["第13批", "测试甲", "男", "党政干部", "黄浦区发改委", "副县长", "", "澜沧县"]
            + ["2022-07-01", ""],
            ["第12批", "测试乙", "男", "厨师", "黄浦区发改委", "副县长", "", "澜沧县"]
            + ["2022-07-01", "2021-01-01"],
        ),
    )

    assert any(line.startswith("第2行 批次：") and "13" in line for line in errors)
    assert any(line.startswith("第3行 类别：") and "厨师" in line for line in errors)
    assert "第3行 任期结束：任期结束不能早于任期开始" in errors
    assert not Cadre.objects.exists()

    # Rows read well are then checked as the admin checks a cadre (Cadre.clean).
    errors = errors_of(
        CADRES,
        csv_file(
            "干部.csv",
            CADRE_HEADER,
            ["第12批", "测试丙", "男", "党政干部", "黄浦区发改委", "副县长", "", ""]
            + ["2022-07-01", ""],
        ),
    )
    assert len(errors) == 1 and errors[0].startswith("第2行"), errors
    assert "县市区" in errors[0]


# Funds and allocations -----------------------------------------------------------------

FUND_HEADER = ["年度", "县市区", "资金来源", "金额（万元）", "出资单位", "文号"]
ALLOCATION_HEADER = ["项目编号", "资金年度", "资金来源", "出资单位", "文号", "分配金额（万元）"]


@pytest.fixture
def project(county):
    return Project.objects.create(
        code="2023-LC-001",
        name="茶叶初制所",
        year=2023,
        county=county,
        category="industry",
        status="ongoing",
        shanghai_funds=Decimal("100"),
    )


def test_a_fund_list_without_the_columns_that_tell_two_funds_apart_is_refused(county):
    for document in ("沪财2023-1号", "沪财2023-2号"):
        Fund.objects.create(
            source="city", year=2023, county=county, amount=Decimal("80"), document=document
        )
    header = ["年度", "受援县市区", "资金来源", "金额（万元）"]

    errors = errors_of(
        FUNDS, csv_file("资金.csv", header, ["2023", "澜沧县", "上海市级财政援助", "90"])
    )

    assert errors == [
        "第2行 年度：已登记的记录中有多条与本行相同，文件没有“出资单位”“文号”列，"
        "无法确定是哪一条，请加上该列"
    ]


def test_funds_then_their_allocations(county, project):
    report = run(
        FUNDS,
        csv_file(
            "资金.csv",
            FUND_HEADER,
            ["2023", "澜沧拉祜族自治县", "上海市级财政援助", "80", "", "沪财2023-1号"],
            ["2023", "澜沧拉祜族自治县", "社会帮扶", "500000元", "某基金会", ""],
        ),
    )
    assert counts(report) == (2, 0, 0)
    assert Fund.objects.get(source="social").amount == Decimal("50")

    report = run(
        ALLOCATIONS,
        csv_file(
            "分配.csv",
            ALLOCATION_HEADER,
            ["2023-LC-001", "2023", "上海市级财政援助", "", "", "60"],
            ["2023-LC-001", "2023", "社会帮扶", "某基金会", "", "50"],
        ),
    )
    assert counts(report) == (2, 0, 0)
    assert FundAllocation.objects.get(fund__source="city").amount == Decimal("60")

    # An allocation beyond its fund, in two rows each within it, is refused.
    errors = errors_of(
        ALLOCATIONS,
        csv_file(
            "分配.csv",
            ALLOCATION_HEADER,
            ["2023-LC-001", "2023", "上海市级财政援助", "", "", "70"],
            ["2023-LC-404", "2023", "上海市级财政援助", "", "", "1"],
            ["2023-LC-001", "2022", "社会帮扶", "", "", "1"],
        ),
    )
    assert any(line.startswith("第3行 项目编号：未登记的项目编号") for line in errors)
    assert any(
        line.startswith("第4行 资金年度：") and "没有2022年社会帮扶资金" in line for line in errors
    )
    assert FundAllocation.objects.get(fund__source="city").amount == Decimal("60")


def test_allocations_together_beyond_a_fund_are_refused(county, project):
    fund = Fund.objects.create(source="social", year=2023, county=county, amount=Decimal("10"))
    second = Project.objects.create(
        code="2023-LC-002", name="村道", year=2023, county=county, category="infrastructure"
    )
    assert second.pk
    errors = errors_of(
        ALLOCATIONS,
        csv_file(
            "分配.csv",
            ALLOCATION_HEADER,
            ["2023-LC-001", "2023", "社会帮扶", "", "", "6"],
            ["2023-LC-002", "2023", "社会帮扶", "", "", "6"],
        ),
    )
    assert len(errors) == 1
    assert errors[0].startswith("第3行 分配金额（万元）：超出资金总额")
    assert not fund.allocations.exists()


# Institutions and their pairings ------------------------------------------------------


def test_institutions_and_their_pairings(county, district):
    Village.objects.create(county=county, township="惠民镇", name="芒景村")
    report = run(
        INSTITUTIONS,
        xlsx_file(
            "机构.xlsx",
            ["机构名称", "类别", "所在省市", "所在区", "州市", "县市区"],
            ["测试医院甲", "医院", "上海", "黄浦区", "", ""],
            ["测试县医院", "医院", "云南", "", "普洱市", "澜沧县"],
            ["测试企业乙", "企业", "上海", "黄浦", "", ""],
        ),
    )
    assert counts(report) == (3, 0, 0)
    assert Institution.objects.get(name="测试县医院").county == county

    report = run(
        INSTITUTION_PAIRINGS,
        xlsx_file(
            "机构结对.xlsx",
            ["结对类型", "上海帮扶机构", "云南结对机构", "结对县市区", "结对村", "起始年度"],
            ["组团式医疗", "测试医院甲", "测试县医院", "", "", 2021],
            ["村企结对", "测试企业乙", "", "澜沧县", "芒景村", 2022],
        ),
    )
    assert counts(report) == (2, 0, 0)
    village_pairing = InstitutionPairing.objects.get(kind="village")
    assert village_pairing.partner_village.name == "芒景村"
    assert village_pairing.partner_county is None

    errors = errors_of(
        INSTITUTION_PAIRINGS,
        xlsx_file(
            "机构结对.xlsx",
            ["结对类型", "上海帮扶机构", "云南结对机构", "起始年度"],
            ["组团式教育", "测试医院甲", "测试县医院", 2021],
        ),
    )
    # The model's own rule (InstitutionPairing.clean), with the row and column.
    assert any(line.startswith("第2行 ") and "学校" in line for line in errors), errors


def test_shanghai_institutions_need_a_province_wide_scope(county, district, county_user):
    errors = errors_of(
        INSTITUTIONS,
        csv_file(
            "机构.csv",
            ["机构名称", "类别", "所在省市", "所在区"],
            ["测试医院甲", "医院", "上海", "黄浦区"],
        ),
        user=county_user,
    )
    assert errors == ["第2行 机构名称：所在地不在您的数据范围内"]


# District pairings, postings, parks ----------------------------------------------------


def test_district_pairings_postings_and_parks(county, district):
    report = run(
        DISTRICT_PAIRINGS,
        csv_file(
            "结对.csv",
            ["上海市辖区", "结对州市", "结对县市区", "起始年度", "终止年度", "依据"],
            ["黄浦区", "普洱市", "澜沧县", "2017", "", "明确记载"],
        ),
    )
    assert counts(report) == (1, 0, 0)
    pairing = Pairing.objects.get()
    assert (pairing.county, pairing.prefecture, pairing.from_year) == (county, None, 2017)

    report = run(
        POSTINGS,
        csv_file(
            "挂职.csv",
            [
                "姓名",
                "性别",
                "挂职方向",
                "云南县市区",
                "上海市辖区",
                "原单位",
                "挂职单位",
                "挂职开始",
            ],
            [
                "测试丁",
                "女",
                "云南干部赴沪挂职",
                "澜沧县",
                "黄浦区",
                "澜沧县农业局",
                "黄浦区农委",
                "2023-03-01",
            ],
        ),
    )
    assert counts(report) == (1, 0, 0)
    assert ExchangePosting.objects.get().district == district

    report = run(
        PARKS,
        csv_file(
            "园区.csv",
            ["园区名称", "所在县市区", "上海结对区", "设立年度", "示范园区"],
            ["测试产业园", "澜沧县", "黄浦区", "2019", "是"],
        ),
    )
    assert counts(report) == (1, 0, 0)
    assert IndustrialPark.objects.get().is_demonstration


# A park's enterprises: a list in one cell ----------------------------------------------

PARK_HEADER = ["园区名称", "所在县市区", "设立年度", "入驻企业名录"]


@pytest.fixture
def enterprises(district, county):
    """Two enterprises and a hospital (not an enterprise)."""
    made = [
        Institution.objects.create(kind="enterprise", name=name, side="shanghai", district=district)
        for name in ("上海测试茶业有限公司", "上海测试咖啡有限公司")
    ]
    Institution.objects.create(kind="hospital", name="澜沧县测试医院", side="yunnan", county=county)
    return made


def test_a_parks_enterprises_are_the_names_its_cell_lists(county, enterprises, admin_user):
    tea, coffee = enterprises
    park_file = lambda companies: csv_file(  # noqa: E731
        "园区.csv", PARK_HEADER, ["测试产业园", "澜沧县", "2019", companies]
    )
    run(PARKS, park_file("上海测试茶业有限公司"))
    park = IndustrialPark.objects.get()
    assert list(park.companies.all()) == [tea]

    report = run(PARKS, park_file("上海测试咖啡有限公司、 上海测试茶业有限公司；"))
    assert counts(report) == (0, 1, 0)
    assert set(park.companies.all()) == {tea, coffee}
    entry = AuditEntry.objects.get(import_batch_id=report.files[0].batch.pk)
    assert entry.changes["companies"] == [
        ["上海测试茶业有限公司"],
        ["上海测试咖啡有限公司", "上海测试茶业有限公司"],
    ]
    assert counts(run(PARKS, park_file("上海测试茶业有限公司,上海测试咖啡有限公司"))) == (0, 0, 1)
    assert counts(run(PARKS, park_file(""))) == (0, 0, 1)  # blank keeps the list

    rollback_batch(batch=report.files[0].batch, user=admin_user)
    assert list(park.companies.all()) == [tea]

    run(PARKS, park_file("（清空）"))
    assert not park.companies.exists()


def test_a_park_cell_naming_no_enterprise_is_refused(county, enterprises):
    errors = errors_of(
        PARKS,
        csv_file(
            "园区.csv",
            PARK_HEADER,
            ["测试产业园", "澜沧县", "2019", "上海测试茶业有限公司、未登记公司甲、未登记公司乙"],
            ["第二产业园", "澜沧县", "2020", "澜沧县测试医院"],
        ),
    )

    assert errors == [
        "第2行 入驻企业名录：未登记的机构：“未登记公司甲”、“未登记公司乙”（请先在管理后台登记）",
        "第3行 入驻企业名录：“澜沧县测试医院”不能列入入驻企业名录：类别须为企业",
    ]
    assert not IndustrialPark.objects.exists()


# Every registry: the admin's screens and export, read back unchanged ---------------------


@pytest.fixture
def registry_cast(county, district, batch12, project):
    """One record of every registry."""
    village = Village.objects.create(county=county, township="惠民镇", name="芒景村")
    Pairing.objects.create(district=district, county=county, from_year=2017, basis="explicit")
    hospital = Institution.objects.create(
        kind="hospital", name="测试医院甲", side="shanghai", district=district
    )
    county_hospital = Institution.objects.create(
        kind="hospital", name="测试县医院", side="yunnan", county=county
    )
    enterprise = Institution.objects.create(
        kind="enterprise", name="测试企业乙", side="shanghai", district=district
    )
    InstitutionPairing.objects.create(
        kind="medical", helper=hospital, partner=county_hospital, from_year=2021
    )
    InstitutionPairing.objects.create(
        kind="village",
        helper=enterprise,
        partner_village=village,
        from_year=2022,
        committed=Decimal("12.5"),
    )
    Cadre.objects.create(
        name="测试甲",
        gender="male",
        kind="official",
        sending_unit="黄浦区发改委",
        post="副县长",
        county=county,
        batch=batch12,
        term_start=datetime.date(2022, 7, 1),
    )
    ExchangePosting.objects.create(
        name="测试丁",
        gender="female",
        direction=ExchangePosting.Direction.values[0],
        county=county,
        district=district,
        home_unit="澜沧县农业局",
        host_unit="黄浦区农委",
        start_date=datetime.date(2023, 3, 1),
    )
    fund = Fund.objects.create(
        source="city", year=2023, county=county, amount=Decimal("80"), document="沪财1号"
    )
    FundAllocation.objects.create(fund=fund, project=project, amount=Decimal("60.25"))
    park = IndustrialPark.objects.create(
        name="测试产业园", county=county, partner_district=district, year_founded=2019
    )
    park.companies.add(enterprise)
    IndustrialParkYear.objects.create(
        park=park, year=2022, enterprises=3, investment=Decimal("900.5"), jobs=120
    )
    Programme.objects.create(county=county, name="芒景村示范村建设", first_year=2019)


@pytest.mark.parametrize("registry", ALL, ids=[r.kind for r in ALL])
def test_the_admins_export_imports_back_unchanged(admin_client, registry_cast, registry):
    opts = registry.model._meta
    changelist = reverse("admin:%s_%s_changelist" % (opts.app_label, opts.model_name))
    page = admin_client.get(changelist)
    assert page.status_code == 200
    import_url = reverse("admin:%s_%s_import" % (opts.app_label, opts.model_name))
    assert import_url in page.content.decode()

    exported = admin_client.post(
        reverse("admin:%s_%s_export" % (opts.app_label, opts.model_name)),
        {"format": "0", "resource": "0"},
    )
    assert exported.status_code == 200, exported.content[:500]
    sheet = load_workbook(io.BytesIO(exported.content)).active
    assert [cell.value for cell in sheet[1]] == registry.headers
    count = registry.model.objects.count()
    assert sheet.max_row == count + 1

    exported_file = ("导出.xlsx", io.BytesIO(exported.content))
    report = run(registry, exported_file)
    assert counts(report) == (0, 0, count)


@pytest.mark.parametrize("registry", ALL, ids=[r.kind for r in ALL])
def test_each_registry_has_an_import_screen_and_templates(admin_client, registry):
    opts = registry.model._meta
    name = "admin:%s_%s_import" % (opts.app_label, opts.model_name)
    page = admin_client.get(reverse(name))
    assert page.status_code == 200
    text = page.content.decode()
    assert "导入%s" % registry.name in text
    assert registry.key_words() in text

    template = admin_client.get(reverse(name + "_template", args=["xlsx"]))
    workbook = load_workbook(io.BytesIO(b"".join(template.streaming_content)))
    assert [c.value for c in workbook.worksheets[0][1]] == registry.headers
    assert workbook.worksheets[1].title == "填写说明"
    csv_template = admin_client.get(reverse(name + "_template", args=["csv"]))
    assert (
        csv_template.content.decode("utf-8").lstrip("\ufeff").startswith(",".join(registry.headers))
    )


def test_a_cadre_file_through_the_admin_then_undone(admin_client, admin_user, county, batch12):
    opts = Cadre._meta
    name, file = csv_file(
        "干部.csv",
        CADRE_HEADER,
        [
            "第12批",
            "测试甲",
            "男",
            "党政干部",
            "黄浦区发改委",
            "副县长",
            "",
            "澜沧县",
            "2022-07-01",
            "",
        ],
    )
    file.name = name
    preview = admin_client.post(reverse("admin:personnel_cadre_import"), {"import_file": file})
    assert preview.status_code == 200
    assert "确认导入" in preview.content.decode()
    assert not Cadre.objects.exists()

    confirmed(
        admin_client,
        reverse("admin:personnel_cadre_process_import"),
        preview.context["confirm_form"].initial,
    )
    assert Cadre.objects.get().name == "测试甲"

    batch = ImportBatch.objects.get(kind=ImportBatch.Kind.CADRES)
    page = admin_client.get(reverse("admin:projects_importbatch_change", args=[batch.pk]))
    assert "撤销" in page.content.decode()
    response = admin_client.post(reverse("admin:projects_importbatch_rollback", args=[batch.pk]))
    assert response.status_code == 302
    assert not Cadre.objects.exists()
    assert opts.model_name == "cadre"


def test_park_years_by_park_and_year(county):
    IndustrialPark.objects.create(name="测试产业园", county=county, year_founded=2019)
    header = [
        "园区名称",
        "年度",
        "入驻企业（家）",
        "企业到位投资（万元）",
        "园区建设投资（万元）",
        "带动就业（人）",
    ]
    report = run(
        PARK_YEARS,
        csv_file("园区年度.csv", header, ["测试产业园", "2022", "5家", "1.2亿元", "90000", "300"]),
    )
    assert counts(report) == (1, 0, 0)
    year = IndustrialParkYear.objects.get()
    assert (year.enterprises, year.investment, year.construction_investment) == (
        5,
        Decimal("12000"),
        Decimal("90000"),
    )
    errors = errors_of(
        PARK_YEARS,
        csv_file("园区年度.csv", header, ["未登记园区", "2022", "5", "1", "1", "-3"]),
    )
    assert any(line.startswith("第2行 园区名称：未知的") for line in errors)
    assert any(line.startswith("第2行 带动就业（人）：") for line in errors)


def test_the_command_imports_a_registry(tmp_path, county):
    from django.core.management import call_command

    path = tmp_path / "村.csv"
    path.write_bytes("县市区,乡镇,村名\r\n澜沧拉祜族自治县,惠民镇,芒景村\r\n".encode())
    out = io.StringIO()
    call_command("import_registry", "villages", str(path), "--quiet", stdout=out)

    assert out.getvalue().strip().endswith("created=1 updated=0 unchanged=0")
    assert Village.objects.get().name == "芒景村"
    assert ImportBatch.objects.get().channel == ImportBatch.Channel.COMMAND


@pytest.mark.parametrize("registry", ALL, ids=[r.kind for r in ALL])
def test_each_registrys_import_is_undone(admin_client, admin_user, registry_cast, registry):
    """The export of the registry imported into a registry without those records creates
    them again; undoing the batch deletes them, and the audit trail says both."""
    opts = registry.model._meta
    exported = admin_client.post(
        reverse("admin:%s_%s_export" % (opts.app_label, opts.model_name)),
        {"format": "0", "resource": "0"},
    )
    originals = list(registry.model.objects.all())
    count = len(originals)
    # Gone without their dependents' checks (the foreign keys are checked at the end of the
    # test's transaction, by which time they are back).
    registry.model.objects.all()._raw_delete(registry.model.objects.db)

    report = run(registry, ("导出.xlsx", io.BytesIO(exported.content)), user=admin_user)
    assert counts(report) == (count, 0, 0)
    batch = report.files[0].batch
    assert batch.kind == registry.kind

    restored, deleted = rollback_batch(batch=batch, user=admin_user)

    assert (restored, deleted) == (0, count)
    assert not registry.model.objects.exists()
    entries = AuditEntry.objects.filter(import_batch_id=batch.pk)
    assert entries.filter(action=AuditEntry.Action.CREATE).count() == count
    assert entries.filter(action=AuditEntry.Action.DELETE).count() == count
    registry.model.objects.bulk_create(originals)  # what the cast's other records point at


def refused_cell(registry, column):
    """A cell the column cannot read: a name of nothing registered, a word that is no number,
    date or choice, or text longer than the field holds. None for free text of any length."""
    model_field = registry.model._meta.get_field(column.field or "pk") if column.field else None
    max_length = getattr(model_field, "max_length", None) if model_field else 100
    plain_text = (
        model_field is not None
        and not model_field.is_relation
        and not model_field.choices
        and type(model_field).__name__ in ("CharField", "TextField")
    )
    if plain_text or (column.field is None and column.key in ("fund_donor", "fund_document")):
        return "长" * (max_length + 1) if max_length else None
    return "无此值甲乙丙"


@pytest.mark.parametrize("registry", ALL, ids=[r.kind for r in ALL])
def test_a_bad_file_of_each_registry_names_every_cell_and_writes_nothing(registry_cast, registry):
    cells, expected = [], []
    for column in registry.columns:
        cell = refused_cell(registry, column)
        cells.append(cell or "")
        if cell is not None:
            expected.append(column.header)
    before = registry.model.objects.count()

    errors = errors_of(registry, csv_file("坏文件.csv", registry.headers, cells))

    named = {line.split("：", 1)[0] for line in errors}
    assert {"第2行 %s" % header for header in expected} <= named, errors
    assert registry.model.objects.count() == before
    assert not ImportBatch.objects.exists()
