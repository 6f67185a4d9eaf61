"""A fund's allocations never exceed the fund: on the project and fund screens, in the database."""

import io
import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from pytest_django.asserts import assertContains

from counties.models import County
from projects.models import Fund, FundAllocation, Project
from tests.cast import make_project

from .post_data import fund_data, project_data

ADD_PROJECT = reverse("admin:projects_project_add")
BEYOND_FUND = "超出资金总额：该资金共100万元，其他项目已分配60万元，最多还可分配40万元。"
BELOW_ALLOCATED = "该资金已分配60万元，金额不能低于已分配数。"


def test_project_add_page_has_the_allocation_rows(admin_client):
    response = admin_client.get(ADD_PROJECT)

    assertContains(response, 'name="allocations-TOTAL_FORMS"')
    assertContains(response, 'name="allocations-0-fund"')
    assertContains(response, 'name="allocations-0-amount"')


def test_fund_autocomplete_on_an_allocation_row_finds_the_county_funds(admin_client, fund):
    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "projects",
            "model_name": "fundallocation",
            "field_name": "fund",
            "term": "澜沧",
        },
    )

    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == [
        "2023年 澜沧拉祜族自治县 上海市级财政援助 100万元"
    ]


def test_staff_adds_a_project_with_two_fund_allocations_on_one_screen(admin_client, county, fund):
    district_fund = Fund.objects.create(
        source="district", year=2023, county=county, amount=Decimal("80"), donor="黄浦区"
    )
    data = project_data(
        county, allocations=[(fund, "30"), (district_fund, "12.5")], shanghai_funds="42.5"
    )

    response = admin_client.post(ADD_PROJECT, data)

    assert response.status_code == 302
    project = Project.objects.get(code="2023-LC-002")
    amounts = {a.fund_id: a.amount for a in project.allocations.all()}
    assert amounts == {fund.pk: Decimal("30"), district_fund.pk: Decimal("12.5")}


def test_a_county_fund_cannot_go_to_a_project_in_another_county(admin_client, county, fund):
    menglian = County.objects.create(
        code="530827",
        name="孟连傣族拉祜族佤族自治县",
        prefecture=county.prefecture,
        division_type="自治县",
    )

    response = admin_client.post(ADD_PROJECT, project_data(menglian, allocations=[(fund, "10")]))

    assertContains(
        response, "该资金拨付给澜沧拉祜族自治县，不能分配给孟连傣族拉祜族佤族自治县的项目。"
    )
    assert not Project.objects.exists()
    assert not FundAllocation.objects.exists()


@pytest.mark.usefixtures("allocated_60")
def test_allocation_beyond_fund_is_refused_on_the_project_screen(admin_client, county, fund):
    response = admin_client.post(ADD_PROJECT, project_data(county, allocations=[(fund, "50")]))

    assertContains(response, BEYOND_FUND)
    assert Project.objects.count() == 1
    assert FundAllocation.objects.count() == 1


@pytest.mark.usefixtures("allocated_60")
def test_allocation_of_exactly_the_rest_of_the_fund_is_accepted(admin_client, county, fund):
    data = project_data(county, allocations=[(fund, "40")], shanghai_funds="40")

    response = admin_client.post(ADD_PROJECT, data)

    assert response.status_code == 302
    assert Fund.objects.with_allocated().get().remaining == 0


def test_raising_an_allocation_counts_only_the_other_projects(admin_client, allocated_60, fund):
    project = allocated_60.project
    url = reverse("admin:projects_project_change", args=[project.pk])
    data = project_data(project.county, code=project.code, name=project.name, shanghai_funds="100")
    data.update(
        {
            "allocations-TOTAL_FORMS": "1",
            "allocations-INITIAL_FORMS": "1",
            "allocations-0-id": str(allocated_60.pk),
            "allocations-0-project": str(project.pk),
            "allocations-0-fund": str(fund.pk),
            "allocations-0-amount": "100",
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 302
    allocated_60.refresh_from_db()
    assert allocated_60.amount == 100


@pytest.mark.usefixtures("allocated_60")
def test_allocation_beyond_fund_is_refused_on_the_allocation_screen(admin_client, county, fund):
    project_b = make_project(code="2023-LC-002", name="村组道路硬化", county=county)
    data = {"fund": fund.pk, "project": project_b.pk, "amount": "50", "_save": "保存"}

    response = admin_client.post(reverse("admin:projects_fundallocation_add"), data)

    assertContains(response, BEYOND_FUND)
    assert FundAllocation.objects.count() == 1


@pytest.mark.usefixtures("allocated_60")
def test_allocation_beyond_fund_is_refused_by_the_database(county, fund):
    project_b = make_project(code="2023-LC-002", name="村组道路硬化", county=county)

    with pytest.raises(IntegrityError), transaction.atomic():
        FundAllocation.objects.create(fund=fund, project=project_b, amount=Decimal("50"))
    assert Fund.objects.with_allocated().get().allocated == 60


def test_reducing_a_fund_below_its_allocations_is_refused_on_the_fund_screen(
    admin_client, allocated_60, fund
):
    url = reverse("admin:projects_fund_change", args=[fund.pk])

    response = admin_client.post(url, fund_data(fund, amount="50"))

    assertContains(response, BELOW_ALLOCATED)
    fund.refresh_from_db()
    assert fund.amount == 100


def test_reducing_a_fund_to_exactly_its_allocations_is_accepted(admin_client, allocated_60, fund):
    url = reverse("admin:projects_fund_change", args=[fund.pk])

    response = admin_client.post(url, fund_data(fund, amount="60"))

    assert response.status_code == 302
    fund.refresh_from_db()
    assert fund.amount == 60


@pytest.mark.usefixtures("allocated_60")
def test_reducing_a_fund_below_its_allocations_is_refused_by_the_database(fund):
    with pytest.raises(IntegrityError), transaction.atomic():
        Fund.objects.filter(pk=fund.pk).update(amount=Decimal("50"))
    fund.refresh_from_db()
    assert fund.amount == 100


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_allocations_racing_for_the_rest_of_a_fund_cannot_both_be_saved(allocated_60, fund):
    """Each of two sessions allocates 30 of the 40 left; the second must wait for the first."""
    county = fund.county
    project_b, project_c = (
        make_project(code=code, name="村组道路硬化", county=county)
        for code in ("2023-LC-002", "2023-LC-003")
    )
    first_written = threading.Event()
    commit_first = threading.Event()
    outcome = {}

    def allocate(project, hold_open):
        try:
            with transaction.atomic():
                FundAllocation.objects.create(fund=fund, project=project, amount=Decimal("30"))
                if hold_open:
                    first_written.set()
                    commit_first.wait(timeout=10)
            outcome[project.code] = "saved"
        except IntegrityError:
            outcome[project.code] = "refused"
        finally:
            connection.close()

    first = threading.Thread(target=allocate, args=(project_b, True))
    second = threading.Thread(target=allocate, args=(project_c, False))
    first.start()
    assert first_written.wait(timeout=10)
    second.start()
    second.join(timeout=1)
    second_waited = second.is_alive()
    commit_first.set()
    first.join(timeout=10)
    second.join(timeout=10)

    assert second_waited, "the second allocation did not wait for the first to commit"
    assert outcome == {"2023-LC-002": "saved", "2023-LC-003": "refused"}
    assert Fund.objects.with_allocated().get().allocated == 90


# A project's allocations of Shanghai funds never exceed its 上海援助资金.


def test_a_shanghai_allocation_beyond_the_projects_shanghai_funds_is_refused(admin_client, county):
    district_fund = Fund.objects.create(
        source="district", year=2023, county=county, amount=Decimal("80"), donor="黄浦区"
    )
    data = project_data(county, allocations=[(district_fund, "30")], shanghai_funds="10")

    response = admin_client.post(ADD_PROJECT, data)

    assert response.status_code == 200
    assertContains(
        response,
        "超出项目的上海援助资金：该项目上海援助资金10万元，分配给它的上海财政资金合计30万元"
        "（本次填写30万元），超出20万元。",
    )
    assert not Project.objects.filter(code="2023-LC-002").exists()


def test_the_rows_of_one_form_are_summed_together(admin_client, county, fund):
    district_fund = Fund.objects.create(source="district", year=2023, county=county, amount=80)
    data = project_data(
        county, allocations=[(fund, "8"), (district_fund, "8")], shanghai_funds="15"
    )

    response = admin_client.post(ADD_PROJECT, data)

    assertContains(response, "合计16万元（本次填写16万元），超出1万元")


def test_funds_that_are_not_shanghais_do_not_count(admin_client, county):
    local = Fund.objects.create(source="local", year=2023, county=county, amount=Decimal("50"))
    data = project_data(county, allocations=[(local, "50")], shanghai_funds="0")

    assert admin_client.post(ADD_PROJECT, data).status_code == 302


def test_lowering_the_shanghai_funds_below_the_allocations_is_refused(
    admin_client, allocated_60, fund
):
    project = allocated_60.project
    Project.objects.filter(pk=project.pk).update(shanghai_funds=100)
    url = reverse("admin:projects_project_change", args=[project.pk])
    data = project_data(project.county, code=project.code, name=project.name, shanghai_funds="50")
    data.update(
        {
            "allocations-TOTAL_FORMS": "1",
            "allocations-INITIAL_FORMS": "1",
            "allocations-0-id": str(allocated_60.pk),
            "allocations-0-project": str(project.pk),
            "allocations-0-fund": str(fund.pk),
            "allocations-0-amount": "60",
        }
    )

    response = admin_client.post(url, data)

    assertContains(response, "该项目上海援助资金50万元，分配给它的上海财政资金合计60万元")


def test_an_allocation_on_its_own_screen_counts_the_projects_other_allocations(
    admin_client, county, fund
):
    project = make_project(code="2023-LC-009", name="小项目", county=county, shanghai_funds=20)
    data = {"fund": fund.pk, "project": project.pk, "amount": "25", "_save": "保存"}

    response = admin_client.post(reverse("admin:projects_fundallocation_add"), data)

    assertContains(response, "超出项目的上海援助资金：该项目上海援助资金20万元")
    assert not FundAllocation.objects.exists()


def test_an_import_lowering_the_shanghai_funds_below_the_allocations_is_refused(allocated_60, fund):
    from projects.importers import ImportFailed, import_yearly_report

    from .report_files import csv_bytes, row

    file = ("报表.csv", io.BytesIO(csv_bytes([row(shanghai_funds="50")])))
    with pytest.raises(ImportFailed) as refused:
        import_yearly_report(files=[file])

    assert refused.value.errors == [
        "第2行 上海援助资金（万元）：项目“2023-LC-001”已分配上海财政资金60万元，"
        "上海援助资金不能改为50万元；请先在管理后台减少该项目的资金分配"
    ]


def test_a_project_stored_over_its_shanghai_funds_may_still_be_renamed(
    admin_client, allocated_60, fund
):
    project = allocated_60.project  # 上海援助资金 0, 60 allocated before the rule
    url = reverse("admin:projects_project_change", args=[project.pk])
    data = project_data(project.county, code=project.code, name="茶叶精制厂", shanghai_funds="0")
    data.update(
        {
            "allocations-TOTAL_FORMS": "1",
            "allocations-INITIAL_FORMS": "1",
            "allocations-0-id": str(allocated_60.pk),
            "allocations-0-project": str(project.pk),
            "allocations-0-fund": str(fund.pk),
            "allocations-0-amount": "60",
        }
    )

    assert admin_client.post(url, data).status_code == 302
    data["allocations-0-amount"] = "70"  # but not be put further over
    assertContains(admin_client.post(url, data), "超出项目的上海援助资金")
