"""Dates typed into any form, the admin's included, are read as the report import reads
them: 2022年5月1日, 2022/5/1, 2022.5.1, 20220501 and 2022-05-01 (hujin/formats/zh_Hans)."""

import datetime

import pytest
from django import forms
from django.urls import reverse

from projects.models import Project
from tests.projects.post_data import project_data

WRITTEN = ["2022年5月1日", "2022年05月01日", "2022/5/1", "2022.5.1", "20220501", "2022-05-01"]


@pytest.mark.parametrize("written", WRITTEN)
def test_a_date_field_reads_what_the_import_reads(written):
    assert forms.DateField().clean(written) == datetime.date(2022, 5, 1)


@pytest.mark.parametrize("written", ["2022年13月1日", "5月1日", "二〇二二年五月一日"])
def test_what_is_no_date_is_refused_in_chinese(written):
    with pytest.raises(forms.ValidationError) as refused:
        forms.DateField().clean(written)
    assert refused.value.messages == ["输入一个有效的日期。"]


def test_the_admin_saves_a_project_with_dates_written_in_chinese(admin_client, county):
    data = project_data(county, start_date="2022年5月1日", end_date="2022/12/31")

    response = admin_client.post(reverse("admin:projects_project_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    project = Project.objects.get()
    assert (project.start_date, project.end_date) == (
        datetime.date(2022, 5, 1),
        datetime.date(2022, 12, 31),
    )
