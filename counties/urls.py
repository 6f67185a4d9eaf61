from django.urls import path

from . import views

app_name = "counties"
urlpatterns = [
    path("", views.CountyListView.as_view(), name="list"),
    path("<str:code>/", views.CountyDetailView.as_view(), name="detail"),
]

# The user's own background work (counties/jobs.py), mounted at /jobs/.
job_urlpatterns = [
    path("", views.JobListView.as_view(), name="list"),
    path("<int:pk>/", views.JobDetailView.as_view(), name="detail"),
    path("<int:pk>/file/", views.job_file, name="file"),
]
