from django.urls import path

from . import views

app_name = "counties"
urlpatterns = [
    path("", views.CountyListView.as_view(), name="list"),
    path("<str:code>/", views.CountyDetailView.as_view(), name="detail"),
]
