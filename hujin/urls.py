from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from counties.admin import view_on_site
from counties.urls import job_urlpatterns
from counties.views import PasswordChangeView
from hujin.health import healthz
from projects.urls import fund_urlpatterns, park_urlpatterns, programme_urlpatterns
from projects.views import HomeView

admin.site.site_header = "沪滇协作项目库"
admin.site.site_title = "沪滇协作项目库"
admin.site.index_title = "数据录入"

# Logging in and out and changing one's own password. No self-service password reset: it
# would be a page open to anyone and needs mail; administrators reset passwords.
account_urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_change/", PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
]

urlpatterns = [
    # For load balancers and monitors: no login, JSON, 200 or 503 (hujin/health.py).
    path("healthz/", healthz, name="healthz"),
    path("", HomeView.as_view(), name="home"),
    path("accounts/", include(account_urlpatterns)),
    # Answers before the admin's own shortcut (reversed as admin:view_on_site), behind the
    # record's scope.
    path("admin/r/<int:content_type_id>/<path:object_id>/", admin.site.admin_view(view_on_site)),
    path("admin/", admin.site.urls),
    path("counties/", include("counties.urls")),
    path("documents/", include("documents.urls")),
    path("institutions/", include("institutions.urls")),
    path("personnel/", include("personnel.urls")),
    path("projects/", include("projects.urls")),
    path("parks/", include((park_urlpatterns, "parks"))),
    path("programmes/", include((programme_urlpatterns, "programmes"))),
    path("funds/", include((fund_urlpatterns, "funds"))),
    path("dashboard/", include("indicators.urls")),
    path("jobs/", include((job_urlpatterns, "jobs"))),
]
