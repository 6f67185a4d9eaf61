from django.urls import path

from . import views

app_name = "institutions"
urlpatterns = [
    path("", views.InstitutionListView.as_view(), name="list"),
    path("<int:pk>/", views.InstitutionDetailView.as_view(), name="detail"),
    path("pairings/", views.InstitutionPairingListView.as_view(), name="pairing_list"),
    path("pairings/summary/", views.SummaryView.as_view(), name="summary"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
]
