"""修改 links from the browsing pages to the admin, for users who may change the record; none
for readers. The admin's 在前台查看 goes back to the page."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from counties.models import Scope
from institutions.models import Institution
from projects.models import IndustrialPark, Programme
from tests.cast import make_cadre, make_project


@pytest.fixture
def clerk(client, django_user_model, county):
    user = django_user_model.objects.create_user("clerk", is_staff=True)
    user.groups.add(Group.objects.get(name="录入员"))
    Scope.objects.create(user=user).counties.add(county)
    client.force_login(user)
    return client


def test_a_clerk_gets_a_link_to_change_the_record(clerk, county):
    records = [
        make_project(county=county),
        make_cadre(county=county),
        IndustrialPark.objects.create(name="测试产业园", county=county, year_founded=2019),
        Programme.objects.create(county=county, name="芒景村示范村建设"),
        Institution.objects.create(
            kind="hospital", name="测试县医院", side="yunnan", county=county
        ),
    ]

    for record in records:
        opts = record._meta
        admin_url = reverse(
            "admin:%s_%s_change" % (opts.app_label, opts.model_name), args=[record.pk]
        )
        page = clerk.get(record.get_absolute_url())
        assertContains(page, 'class="edit-link" href="%s"' % admin_url)


def test_a_clerk_may_not_change_the_reference_data_and_gets_no_link_for_it(clerk, county):
    assertNotContains(clerk.get(county.get_absolute_url()), "edit-link")


def test_a_reader_gets_no_link(user_client, county):
    project = make_project(county=county)

    assertNotContains(user_client.get(project.get_absolute_url()), "edit-link")


def test_the_admin_links_back_to_the_page(admin_client, county):
    project = make_project(county=county)

    page = admin_client.get(reverse("admin:projects_project_change", args=[project.pk]))

    assertContains(page, "在前台查看")
