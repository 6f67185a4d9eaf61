from django.urls import path

from . import exports, views

app_name = "personnel"
urlpatterns = [
    path("", views.CadreListView.as_view(), name="list"),
    path("export.xlsx", exports.export, name="export"),
    path("<int:pk>/", views.CadreDetailView.as_view(), name="detail"),
]
