"""The admin's menu follows the work, section by section (counties/admin_site.py), on the
index, in the sidebar and in the breadcrumbs; its long filters are one list to pick from
(counties/admin_filters.py), not a line per county."""

import html
import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from pytest_django.asserts import assertContains

from counties.admin_site import SECTIONS
from counties.models import County, Scope
from projects.models import Project
from tests.cast import make_project

MENU = [
    "项目",
    "资金",
    "干部人才",
    "园区",
    "机构结对",
    "指标",
    "导入与批次",
    "区划与结对",
    "用户与角色",
    "操作记录",
]


def sections(response):
    return [(section["name"], [m["name"] for m in section["models"]]) for section in response]


def test_the_index_lists_the_works_sections_in_order(admin_client):
    app_list = admin_client.get(reverse("admin:index")).context["app_list"]

    assert [section["name"] for section in app_list] == MENU
    shown = dict(sections(app_list))
    assert shown["项目"] == ["项目", "项目群"]
    assert shown["园区"] == ["共建产业园区", "园区年度情况"]
    assert shown["资金"] == ["资金", "资金分配"]
    assert shown["导入与批次"] == ["导入批次", "表头写法"]
    assert shown["用户与角色"] == ["用户", "角色"]
    assert shown["操作记录"] == ["操作记录", "任务队列记录"]
    assert "操作记录" not in shown["区划与结对"]


def test_every_registered_screen_is_in_a_section():
    listed = {label for _, _, labels in SECTIONS for label in labels}

    assert {model._meta.label_lower for model in admin.site._registry} <= listed


def test_the_sidebar_lists_the_sections_in_the_same_order(admin_client):
    page = admin_client.get(reverse("admin:projects_project_changelist")).content.decode()
    sidebar = page[page.index('id="nav-sidebar"') :]

    captions = re.findall(
        r'<a href="/admin/section/[\w-]+/" class="section"[^>]*>(.*?)</a>', sidebar
    )
    assert captions == MENU


def test_a_sections_page_lists_its_screens(admin_client):
    response = admin_client.get(reverse("admin:section", args=["import"]))

    assert response.status_code == 200
    assert sections(response.context["app_list"]) == [("导入与批次", ["导入批次", "表头写法"])]
    assert admin_client.get(reverse("admin:section", args=["nothing"])).status_code == 404


def test_an_apps_page_lists_the_sections_of_its_screens_under_its_name(admin_client):
    response = admin_client.get(reverse("admin:app_list", args=["counties"]))

    assert response.context["title"] == "行政区划与结对"
    assert [s["name"] for s in response.context["app_list"]] == ["区划与结对", "操作记录"]
    assertContains(response, "&rsaquo; 行政区划与结对")


def test_the_breadcrumbs_name_the_section_not_the_app(admin_client):
    page = admin_client.get(reverse("admin:counties_auditentry_changelist")).content.decode()
    crumbs = re.search(r'<div class="breadcrumbs">(.*?)</div>', page, re.S).group(1)
    crumbs = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", crumbs)).split())

    assert crumbs == "首页 › 操作记录 › 操作记录"
    assert "行政区划与结对" not in crumbs


def test_a_role_sees_only_the_sections_it_may_work_in(client, django_user_model, county):
    clerk = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    clerk.groups.add(Group.objects.get(name="录入员"))
    Scope.objects.create(user=clerk, everywhere=True)
    client.force_login(clerk)

    names = [s["name"] for s in client.get(reverse("admin:index")).context["app_list"]]

    assert names[0] == "项目"
    assert "用户与角色" not in names
    assert names == [name for name in MENU if name in names]


@pytest.fixture
def a_project_in_every_county(reference):
    Project.objects.bulk_create(
        Project(
            code="2023-%s-001" % county.code,
            name="项目",
            category="industry",
            year=2023,
            county=county,
        )
        for county in County.objects.all()
    )
    return County.objects.count()


def county_select(page):
    match = re.search(r'<select name="county__id__exact"[^>]*>(.*?)</select>', page, re.S)
    return match and re.findall(r'<option value="(\d*)"', match.group(1))


def test_the_county_filter_is_one_select_not_a_link_per_county(
    admin_client, a_project_in_every_county
):
    assert a_project_in_every_county == 129

    page = admin_client.get(reverse("admin:projects_project_changelist")).content.decode()

    assert len(county_select(page)) == 1 + 129  # 全部 and each county
    assert "?county__id__exact=" not in page


def test_choosing_a_county_keeps_the_search_and_the_other_filters(admin_client, county, menghai):
    make_project(county=county)
    make_project(county=menghai, code="2023-MH-001", name="茶叶初制所")
    url = reverse("admin:projects_project_changelist")

    page = admin_client.get(url, {"q": "茶叶", "year__exact": "2023"}).content.decode()
    form = re.search(
        r'<form method="get" class="list-filter-select-form">(.*?)</form>', page, re.S
    ).group(1)
    assert '<input type="hidden" name="q" value="茶叶">' in form
    assert '<input type="hidden" name="year__exact" value="2023">' in form

    chosen = admin_client.get(url, {"q": "茶叶", "county__id__exact": str(menghai.pk)})
    assert [p.code for p in chosen.context["cl"].result_list] == ["2023-MH-001"]
    everywhere = admin_client.get(url, {"q": "茶叶", "county__id__exact": ""})
    assert everywhere.status_code == 200
    assert everywhere.context["cl"].result_count == 2


def test_the_county_filter_offers_only_the_counties_in_the_users_scope(
    client, django_user_model, county, menghai
):
    mengla = County.objects.create(
        code="532823", name="勐腊县", prefecture=menghai.prefecture, division_type="县"
    )
    for place in (county, menghai, mengla):
        make_project(county=place, code="2023-%s-001" % place.code)
    clerk = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    clerk.groups.add(Group.objects.get(name="录入员"))
    Scope.objects.create(user=clerk).counties.add(county, menghai)
    client.force_login(clerk)

    page = client.get(reverse("admin:projects_project_changelist")).content.decode()

    assert county_select(page) == ["", str(county.pk), str(menghai.pk)]


def test_a_county_asked_for_in_the_address_filters_a_list_of_one_county(
    client, django_user_model, county, menghai
):
    make_project(county=county)
    clerk = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    clerk.groups.add(Group.objects.get(name="录入员"))
    Scope.objects.create(user=clerk).counties.add(county)
    client.force_login(clerk)

    response = client.get(
        reverse("admin:projects_project_changelist"), {"county__id__exact": menghai.pk}
    )

    # Django drops a filter it does not show (one county: nothing to choose); this one applies.
    assert response.context["cl"].result_count == 0


def test_the_header_leads_back_to_the_site_and_to_the_users_jobs(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()
    tools = re.search(r'<div id="user-tools">(.*?)</div>', page, re.S).group(1)

    assert '<a href="%s">查看网站</a>' % reverse("home") in tools
    assert '<a href="%s">后台任务</a>' % reverse("jobs:list") in tools
    assert '<button type="submit">退出</button>' in tools
    assert '<link rel="stylesheet" href="/static/css/admin.css">' in page
    assert "dark_mode.css" not in page
