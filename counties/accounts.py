"""A password an administrator sets is the user's to change: at their next login they are
sent to 修改密码 and kept there until they have changed it.

The user administration (counties/user_admin.py) calls set_by_administrator() when it
creates a user with a password or sets one; logging in copies the mark into the session
(one query at login, none on later pages); PasswordChangeView removes both once the user
has chosen their own (counties.views.PasswordChangeView).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.db import models
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

MUST_CHANGE = "_password_set_by_administrator"
ASKED = "管理员为您设置了密码，请先设置您自己的新密码，再继续使用。"


class PasswordToChange(models.Model):
    """A password an administrator set for `user`, not yet changed by them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name="用户",
    )
    set_at = models.DateTimeField("设置时间", default=timezone.now)

    class Meta:
        verbose_name = "待本人修改的密码"
        verbose_name_plural = "待本人修改的密码"

    def __str__(self):
        return str(self.user)


def set_by_administrator(user):
    """Marks `user`'s password as set by an administrator (none, if it is unusable)."""
    if user.has_usable_password():
        PasswordToChange.objects.update_or_create(user=user, defaults={"set_at": timezone.now()})
    else:
        PasswordToChange.objects.filter(user=user).delete()


@receiver(user_logged_in)
def remember_at_login(sender, request, user, **kwargs):
    if PasswordToChange.objects.filter(user=user).exists():
        request.session[MUST_CHANGE] = True


class PasswordChangeRequiredMiddleware:
    """Sends a user whose password an administrator set to 修改密码 from every other page
    (logging out, the health check and static files excepted)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(MUST_CHANGE) and not self.open(request.path):
            messages.warning(request, ASKED)
            return redirect("password_change")
        return self.get_response(request)

    @staticmethod
    def open(path):
        allowed = [
            reverse("password_change"),
            reverse("password_change_done"),
            reverse("logout"),
            reverse("healthz"),
            settings.STATIC_URL
            if settings.STATIC_URL.startswith("/")
            else "/" + settings.STATIC_URL,
        ]
        return any(path.startswith(prefix) for prefix in allowed)
