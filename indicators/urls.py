from django.urls import path

from . import views

# The namespace is the page's name: /dashboard/, dashboard:detail.
app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard, name="detail"),
    path("export.xlsx", views.dashboard_export, name="export"),
]
