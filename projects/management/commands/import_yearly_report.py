from projects.importers import import_yearly_report
from projects.importers.command import ReportImportCommand


class Command(ReportImportCommand):
    help = "导入沪滇协作项目年度报表（XLSX、XLS、ODS或CSV）：全部行校验通过才写入，否则一行也不写。"
    importer = staticmethod(import_yearly_report)
    flags = [
        (
            "--allow-moves",
            "allow_moves",
            "允许改变已登记项目的年度或县市区（默认拒绝并列出这些行）",
        ),
        (
            "--allow-large-amounts",
            "allow_large_amounts",
            "确认超过上限（IMPORT_MAX_PROJECT_FUNDS万元）或远超本县以往的上海援助资金无误",
        ),
    ]
