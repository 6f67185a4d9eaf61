"""manage.py remove_demo: a database that got the demo by mistake loses exactly the demo,
and keeps what staff changed in it or still use."""

import io

import pytest
from django.core.management import call_command

from counties.models import County, Pairing, Prefecture, ShanghaiDistrict, Village
from personnel.models import Batch, Cadre, ExchangePosting
from projects.models import (
    Fund,
    FundAllocation,
    IndustrialPark,
    IndustrialParkYear,
    Programme,
    Project,
)


@pytest.fixture
def demo(reference, indicators):
    call_command("loaddata", "demo", verbosity=0)


def remove_demo(*args):
    out = io.StringIO()
    call_command("remove_demo", *args, stdout=out)
    return out.getvalue()


def reference_counts():
    return [m.objects.count() for m in (Prefecture, County, ShanghaiDistrict, Pairing)]


def test_remove_demo_removes_exactly_the_demo(demo, real_project):
    catalogue = indicator_model("indicator").objects.count()

    output = remove_demo("--yes")

    assert "已删除演示数据72条：" in output
    assert "  项目：HD-2019-532326-001 大姚县自然能提水工程" in output
    assert "  援滇干部人才：示例干部01（党政干部）" in output
    assert list(Project.objects.values_list("code", flat=True)) == ["530828-2025-001"]
    assert not Cadre.objects.exists() and not Batch.objects.exists()
    assert not ExchangePosting.objects.exists()
    assert not Fund.objects.exists() and not FundAllocation.objects.exists()
    assert not IndustrialPark.objects.exists() and not Village.objects.exists()
    assert not IndustrialParkYear.objects.exists() and not Programme.objects.exists()
    assert not indicator_model("indicatorfigure").objects.exists()
    assert reference_counts() == [16, 129, 16, 87]
    assert indicator_model("indicator").objects.count() == catalogue


@pytest.fixture
def real_project(reference):
    return Project.objects.create(
        code="530828-2025-001",
        name="澜沧县茶叶初制所",
        county=County.objects.get(code="530828"),
        category=Project.Category.INDUSTRY,
        year=2025,
    )


def indicator_model(name):
    """An indicator model, wherever the indicators app keeps it."""
    from django.apps import apps

    return next(m for m in apps.get_models() if m._meta.model_name == name)


def test_remove_demo_keeps_what_staff_changed_or_still_use_and_says_why(demo):
    suspended = Project.objects.get(code="HD-2024-530724-001")
    suspended.status = Project.Status.BUILDING  # staff carried on with it
    suspended.save()
    banli = Village.objects.get(name="班利村")
    Project.objects.create(
        code="530828-2025-001",
        name="班利村茶园道路",
        county=banli.county,
        village=banli,
        category=Project.Category.INFRASTRUCTURE,
        year=2025,
    )

    output = remove_demo("--yes")

    assert output.splitlines()[:5] == [
        "保留4条演示记录（请在管理后台核对，确属演示数据可在那里删除）：",
        "  村：澜沧拉祜族自治县班利村（仍被项目 530828-2025-001 班利村茶园道路使用）",
        "  资金：2024年 宁蒗彝族自治县 上海市级财政援助 180万元（仍被资金分配 "
        "2024年 宁蒗彝族自治县 上海市级财政援助 180万元 → HD-2024-530724-001：95.6万元使用）",
        "  项目：HD-2024-530724-001 宁蒗县马铃薯种薯繁育（载入后修改了项目状态）",
        "  资金分配：2024年 宁蒗彝族自治县 上海市级财政援助 180万元 → HD-2024-530724-001："
        "95.6万元（随保留的项目 HD-2024-530724-001 宁蒗县马铃薯种薯繁育一并保留）",
    ]
    assert "已删除演示数据68条：" in output
    assert set(Project.objects.values_list("code", flat=True)) == {
        "HD-2024-530724-001",
        "530828-2025-001",
    }
    assert list(Village.objects.values_list("name", flat=True)) == ["班利村"]
    assert Fund.objects.get().allocations.get().project == suspended
    assert reference_counts() == [16, 129, 16, 87]


def test_remove_demo_asks_first_and_a_no_changes_nothing(demo, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "no")

    output = remove_demo()

    assert "将删除以下72条演示数据：" in output
    assert output.strip().endswith("已取消，未做任何改动。")
    assert Project.objects.count() == 13


def test_remove_demo_on_a_database_without_the_demo_changes_nothing(reference):
    output = remove_demo("--yes")

    assert output.strip().endswith("数据库中没有可删除的演示数据，未做任何改动。")
    assert reference_counts() == [16, 129, 16, 87]
