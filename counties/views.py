from django.utils import timezone
from django.views.generic import DetailView, ListView

from .models import County, Pairing


class CountyListView(ListView):
    queryset = County.objects.select_related("prefecture").order_by("prefecture__code", "code")
    template_name = "counties/county_list.html"


class CountyDetailView(DetailView):
    """One county with what happens there.

    The related records come through reverse relations so that this app imports neither
    personnel nor projects (the dependency arrows point towards counties).
    """

    queryset = County.objects.select_related("prefecture")
    slug_field = slug_url_kwarg = "code"
    template_name = "counties/county_detail.html"

    def get_context_data(self, **kwargs):
        county = self.object
        return super().get_context_data(
            pairings=Pairing.objects.for_county(county)
            .select_related("district", "prefecture", "county")
            .order_by("from_year", "district__code"),
            projects=county.projects.select_related("village").order_by("-year", "code"),
            funds=county.funds.with_allocated().order_by("-year", "source"),
            cadres=county.cadres.on_post(timezone.localdate()).select_related("batch"),
            parks=county.parks.select_related("partner_district"),
            villages=county.villages.all(),
            **kwargs,
        )
