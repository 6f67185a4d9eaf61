from django.views.generic import DetailView

from .models import IndustrialPark, Project


class ProjectDetailView(DetailView):
    queryset = Project.objects.with_place().select_related("park")
    slug_field = slug_url_kwarg = "code"
    template_name = "projects/project_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            allocations=self.object.allocations.select_related("fund"),
            cadres=self.object.cadres.with_place(),
            **kwargs,
        )


class ParkDetailView(DetailView):
    queryset = IndustrialPark.objects.select_related("county__prefecture", "partner_district")
    template_name = "projects/park_detail.html"
