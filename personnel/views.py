from django.views.generic import DetailView

from .models import Cadre


class CadreDetailView(DetailView):
    queryset = Cadre.objects.with_place()
    template_name = "personnel/cadre_detail.html"
