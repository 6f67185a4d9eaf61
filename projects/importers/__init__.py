"""The report import engine, and the yearly project report (沪滇协作项目年度报表) on it; the
indicator report (协作指标报表) is indicators.importers, on the same engine."""

from .parsing import FileError
from .refusals import MAX_ERRORS_SHOWN, ImportFailed, RefusalFiles
from .rollback import RollbackRefused, rollback_batch
from .rows import COLUMNS, HEADERS
from .running import Progress, Report, Source
from .writing import import_yearly_report

__all__ = [
    "COLUMNS",
    "HEADERS",
    "MAX_ERRORS_SHOWN",
    "FileError",
    "ImportFailed",
    "Progress",
    "RefusalFiles",
    "Report",
    "RollbackRefused",
    "Source",
    "import_yearly_report",
    "rollback_batch",
]
