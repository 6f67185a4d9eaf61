from django.urls import path, re_path

from . import list_exports, views

app_name = "projects"
urlpatterns = [
    path("", views.ProjectListView.as_view(), name="list"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.export, name="export"),
    # Codes are the counties' own and may hold a "/" (LC/2023/001): path, not str.
    path("<path:code>/", views.ProjectDetailView.as_view(), name="detail"),
]

# Parks live in this app but have their own namespace and URL prefix (/parks/).
park_urlpatterns = [
    path("", views.ParkListView.as_view(), name="list"),
    path("export.xlsx", list_exports.park_export, name="export"),
    path("<int:pk>/", views.ParkDetailView.as_view(), name="detail"),
]

# Funds too: /funds/, namespace "funds".
fund_urlpatterns = [
    path("", views.FundListView.as_view(), name="list"),
    path("export.xlsx", list_exports.fund_export, name="export"),
]

# Programmes too: /programmes/, namespace "programmes".
programme_urlpatterns = [
    path("", views.ProgrammeListView.as_view(), name="list"),
    path("<int:pk>/", views.ProgrammeDetailView.as_view(), name="detail"),
]
