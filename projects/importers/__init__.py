"""The yearly report imports (沪滇协作项目年度报表, 协作指标报表): one engine for the commands
and the admin."""

from .indicator_writing import import_indicator_report
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
    "import_indicator_report",
    "import_yearly_report",
    "rollback_batch",
]
