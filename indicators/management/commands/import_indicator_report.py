from projects.importers.command import ReportImportCommand

from ...importers.writing import import_indicator_report


class Command(ReportImportCommand):
    help = (
        "导入协作指标报表（XLSX、XLS、ODS或CSV）：全部行校验通过才写入，否则一行也不写；"
        "协议数、完成数或备注留空的单元格保留原有数值。"
    )
    importer = staticmethod(import_indicator_report)
