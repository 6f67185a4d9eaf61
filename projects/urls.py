from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("<str:code>/", views.ProjectDetailView.as_view(), name="detail"),
]

# Parks live in this app but have their own namespace and URL prefix (/parks/).
park_urlpatterns = [
    path("<int:pk>/", views.ParkDetailView.as_view(), name="detail"),
]
