from django.urls import path

from . import views

app_name = "personnel"
urlpatterns = [
    path("", views.CadreListView.as_view(), name="list"),
    path("<int:pk>/", views.CadreDetailView.as_view(), name="detail"),
]
