from django.urls import path

from . import views

app_name = "personnel"
urlpatterns = [
    path("<int:pk>/", views.CadreDetailView.as_view(), name="detail"),
]
