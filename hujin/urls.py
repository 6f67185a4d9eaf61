from django.contrib import admin
from django.urls import include, path

from projects.urls import fund_urlpatterns, park_urlpatterns
from projects.views import HomeView

admin.site.site_header = "沪滇协作项目库"
admin.site.site_title = "沪滇协作项目库"
admin.site.index_title = "数据录入"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("counties/", include("counties.urls")),
    path("personnel/", include("personnel.urls")),
    path("projects/", include("projects.urls")),
    path("parks/", include((park_urlpatterns, "parks"))),
    path("funds/", include((fund_urlpatterns, "funds"))),
]
