"""Amounts on the pages: one format everywhere (counties.templatetags.money)."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from pytest_django.asserts import assertContains

from counties.models import AuditEntry
from counties.templatetags.money import money
from projects.models import Project


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("0.0000"), "0.00"),
        (Decimal("0"), "0.00"),
        (Decimal("-0.0000"), "0.00"),
        (None, "—"),
        (Decimal("12345.5"), "12,345.50"),
        (Decimal("1234567.1234"), "1,234,567.1234"),
        (Decimal("-1234.5000"), "-1,234.50"),
        (Decimal("2000.0000"), "2,000.00"),
        (Decimal("100.5000"), "100.50"),
        (Decimal("120"), "120.00"),
        (Decimal("169.4125"), "169.4125"),
        (Decimal("169.410"), "169.41"),
        (Decimal("999999999999.9999"), "999,999,999,999.9999"),
        (Decimal("0.0001"), "0.0001"),
    ],
)
def test_money_writes_an_amount_with_separators_and_two_decimals_or_the_more_it_has(value, shown):
    assert money(value) == shown


def test_money_writes_no_exponent():
    assert money(Decimal("1E+3")) == "1,000.00"
    assert money(Decimal("1.2E-3")) == "0.0012"


def test_money_rounds_past_the_yuan_half_up():
    assert money(Decimal("0.12345")) == "0.1235"
    assert money(Decimal("0.00004")) == "0.00"


def test_money_reads_the_text_the_audit_trail_stores_and_leaves_other_text_alone():
    assert money("12345.5") == "12,345.50"
    assert money("") == "—"
    assert money("（空）") == "（空）"
    assert money("12,345.5") == "12,345.5"


AMOUNT = Decimal("1234.5600")
SHOWN = "1,234.56"


@pytest.fixture
def tea_factory(county):
    """One 2023 project of 1,234.56万元 of Shanghai aid and no other money."""
    return Project.objects.create(
        code="2023-LC-001",
        name="茶叶初制所",
        county=county,
        category="industry",
        status="building",
        year=2023,
        shanghai_funds=AMOUNT,
    )


def test_the_project_list_shows_the_amount_and_the_total_alike(user_client, tea_factory):
    response = user_client.get(reverse("projects:list"), {"year": 2023})

    assertContains(response, f'<td class="num">{SHOWN}</td>', html=False)
    assertContains(response, f"上海援助资金合计 <strong>{SHOWN}</strong> 万元。", html=False)


def test_the_project_page_shows_the_amount_and_zero_other_money(user_client, tea_factory):
    response = user_client.get(tea_factory.get_absolute_url())

    assertContains(response, f"<dt>上海援助资金</dt><dd>{SHOWN} 万元</dd>", html=False)
    assertContains(response, "<dt>其他资金</dt><dd>0.00 万元</dd>", html=False)


def test_the_project_pages_history_writes_amounts_alike(user_client, tea_factory):
    AuditEntry.objects.create(
        channel=AuditEntry.Channel.ADMIN,
        action=AuditEntry.Action.CHANGE,
        content_type=ContentType.objects.get_for_model(Project),
        object_id=str(tea_factory.pk),
        object_repr=str(tea_factory),
        changes={"shanghai_funds": ["1000", "1234.56"], "name": ["茶厂", "茶叶初制所"]},
    )

    response = user_client.get(tea_factory.get_absolute_url())

    assertContains(response, f"上海援助资金（万元）：1,000.00 → {SHOWN}", html=False)
    assertContains(response, "项目名称：茶厂 → 茶叶初制所", html=False)


@pytest.mark.usefixtures("indicators")
def test_the_dashboard_shows_the_amount_as_the_list_does(user_client, tea_factory):
    response = user_client.get(reverse("dashboard:detail"), {"year": 2023})

    # The table of prefectures, the chart by category's table, and the bar's own label.
    assertContains(
        response,
        f'普洱市</a></th><td class="num">1</td><td class="num">{SHOWN}</td>',
        html=False,
    )
    assertContains(response, f'<th scope="row">产业发展</th><td class="num">{SHOWN}</td>')
    assertContains(response, f'class="value">{SHOWN}</text>', html=False)


def test_the_home_page_and_the_county_page_show_the_amount_alike(user_client, tea_factory):
    home = user_client.get(reverse("home"), {"year": 2023})
    county = user_client.get(tea_factory.county.get_absolute_url())

    assertContains(home, f"<strong>{SHOWN}</strong> 万元", html=False)
    assertContains(county, f'<td class="num">{SHOWN}<br><small>1个</small></td>', html=False)
    assertContains(county, f'<td class="num">{SHOWN}</td>', html=False)


def test_the_filter_summary_writes_an_amount_asked_for_alike(user_client, tea_factory):
    response = user_client.get(reverse("projects:list"), {"funds_min": "1000.50"})

    assertContains(response, "上海援助资金不少于（万元）：1,000.5", html=False)
