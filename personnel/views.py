from django.views.generic import DetailView
from django_filters.views import FilterView

from counties.scopes import scope_of
from counties.views import FilteredListMixin, ScopedMixin

from .filters import CadreFilter
from .models import Cadre


class CadreListView(FilteredListMixin, FilterView):
    queryset = Cadre.objects.with_place().order_by("-term_start", "name", "pk")
    filterset_class = CadreFilter
    template_name = "personnel/cadre_list.html"


class CadreDetailView(ScopedMixin, DetailView):
    queryset = Cadre.objects.with_place()
    template_name = "personnel/cadre_detail.html"

    def get_context_data(self, **kwargs):
        # Through the reverse relation: personnel does not import projects. A cadre posted to
        # a prefecture serves projects in any of its counties, some perhaps outside the scope.
        projects = self.object.projects.visible_to(scope_of(self.request.user))
        projects = projects.select_related("county").order_by("-year", "code")
        return super().get_context_data(projects=projects, **kwargs)
