from projects.importers import import_yearly_report
from projects.importers.command import ReportImportCommand


class Command(ReportImportCommand):
    help = "导入沪滇协作项目年度报表（CSV或XLSX）：全部行校验通过才写入，否则一行也不写。"
    importer = staticmethod(import_yearly_report)
