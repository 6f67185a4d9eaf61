"""The yearly report import (沪滇协作项目年度报表): one engine for the command and the admin."""

from .parsing import FileError
from .rollback import RollbackRefused, rollback_batch
from .rows import COLUMNS, HEADERS
from .writing import ImportFailed, Progress, Report, Source, import_yearly_report

__all__ = [
    "COLUMNS",
    "HEADERS",
    "FileError",
    "ImportFailed",
    "Progress",
    "Report",
    "RollbackRefused",
    "Source",
    "import_yearly_report",
    "rollback_batch",
]
