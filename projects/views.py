from django.http import FileResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.generic import DetailView

from .filters import ProjectFilter
from .importers import exporting
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


def export(request, fmt):
    """The filtered project list in the yearly report format (CSV or XLSX); imports back as is."""
    filterset = ProjectFilter(request.GET, queryset=Project.objects.with_place())
    if not filterset.is_valid():
        problems = "；".join(
            "%s：%s" % (filterset.form.fields[name].label, "".join(errors))
            for name, errors in filterset.form.errors.items()
        )
        return HttpResponseBadRequest("筛选条件有误：%s" % problems, content_type="text/plain")
    projects = filterset.qs
    file_name = "沪滇协作项目-%s.%s" % (timezone.localdate().strftime("%Y%m%d"), fmt)
    if fmt == "csv":
        response = StreamingHttpResponse(
            exporting.csv_lines(projects), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = content_disposition_header(True, file_name)
        return response
    return FileResponse(exporting.xlsx_file(projects), as_attachment=True, filename=file_name)
