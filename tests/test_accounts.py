"""Every user may change their own password from the site, in Chinese; a password an
administrator set must be changed at its first login before anything else."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from counties.accounts import ASKED, PasswordToChange, set_by_administrator
from counties.models import Scope

CHANGE = reverse("password_change")
PASSWORD = "管理员给的-初始密码-2024"
OWN = "我自己的-新密码-2024"


@pytest.fixture
def reader(django_user_model):
    user = django_user_model.objects.create_user("lijing", password=PASSWORD)
    user.groups.add(Group.objects.get(name="查看者"))
    Scope.objects.create(user=user, everywhere=True)
    return user


def log_in(client, username="lijing", password=PASSWORD):
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()
    return response


def test_the_password_page_is_the_sites_and_chinese(client, reader):
    log_in(client)

    page = client.get(CHANGE)

    assertContains(page, "<h1>修改密码</h1>", html=True)
    assertContains(page, "当前密码")
    assert "Django" not in page.content.decode()


def test_a_user_changes_their_own_password(client, reader):
    log_in(client)

    done = client.post(
        CHANGE, {"old_password": PASSWORD, "new_password1": OWN, "new_password2": OWN}
    )

    assertRedirects(done, reverse("password_change_done"))
    assertContains(client.get(done["Location"]), "您的密码已修改")
    reader.refresh_from_db()
    assert reader.check_password(OWN)


def test_a_password_set_by_an_administrator_is_changed_before_anything_else(client, reader):
    set_by_administrator(reader)
    log_in(client)

    for url in [reverse("home"), reverse("projects:list"), "/admin/"]:
        response = client.get(url)
        assertRedirects(response, CHANGE, fetch_redirect_response=False)
    page = client.get(CHANGE)
    assertContains(page, ASKED)

    client.post(CHANGE, {"old_password": PASSWORD, "new_password1": OWN, "new_password2": OWN})

    assert client.get(reverse("home")).status_code == 200
    assert not PasswordToChange.objects.exists()
    client.logout()
    log_in(client, password=OWN)
    assert client.get(reverse("home")).status_code == 200


def test_logging_out_is_allowed_before_the_change(client, reader):
    set_by_administrator(reader)
    log_in(client)

    response = client.post(reverse("logout"))

    assertRedirects(response, reverse("login"), fetch_redirect_response=False)


def test_a_user_logged_in_without_the_mark_goes_anywhere(client, reader):
    log_in(client)

    assert client.get(reverse("home")).status_code == 200


# Through the user administration


def test_a_user_an_administrator_creates_changes_the_password_at_first_login(
    admin_client, client, county
):
    admin_client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "zhaolei",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "scope-TOTAL_FORMS": "1",
            "scope-INITIAL_FORMS": "0",
            "scope-MIN_NUM_FORMS": "0",
            "scope-MAX_NUM_FORMS": "1",
            "scope-0-everywhere": "on",
        },
    )
    assert PasswordToChange.objects.filter(user__username="zhaolei").exists()

    log_in(client, "zhaolei")

    assertRedirects(client.get(reverse("home")), CHANGE, fetch_redirect_response=False)


def test_a_password_an_administrator_resets_is_changed_at_the_next_login(
    admin_client, client, reader
):
    reset = {
        "password1": "重设的-密码-2024",
        "password2": "重设的-密码-2024",
        "usable_password": "true",
    }
    url = reverse("admin:auth_user_password_change", args=[reader.pk])

    admin_client.post(url, reset)

    log_in(client, password="重设的-密码-2024")
    assertRedirects(client.get(reverse("home")), CHANGE, fetch_redirect_response=False)


def test_an_administrator_changing_their_own_password_is_not_asked_again(admin_client, admin_user):
    reset = {
        "password1": "我的-新密码-2024",
        "password2": "我的-新密码-2024",
        "usable_password": "true",
    }

    admin_client.post(reverse("admin:auth_user_password_change", args=[admin_user.pk]), reset)

    assert not PasswordToChange.objects.exists()


def test_every_page_links_to_the_password_change(client, reader):
    log_in(client)

    assertContains(client.get(reverse("home")), 'href="%s"' % CHANGE)
