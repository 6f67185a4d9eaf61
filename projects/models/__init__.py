"""The models of projects, one module per topic (as pretix's base/models): the money and
year fields, parks and their yearly records, programmes, import batches, projects, funds, the
headers staff teach the import."""

from .aliases import HeaderAlias
from .base import MONEY, ZERO, money_field, plain, year_field, year_in_range
from .batches import ImportBatch
from .funds import SHANGHAI_SOURCES, Fund, FundAllocation, beyond_shanghai_funds, shanghai_allocated
from .parks import IndustrialPark, IndustrialParkYear
from .programmes import Programme
from .projects import Project, cadres_elsewhere

__all__ = [
    "MONEY",
    "SHANGHAI_SOURCES",
    "ZERO",
    "Fund",
    "FundAllocation",
    "HeaderAlias",
    "ImportBatch",
    "IndustrialPark",
    "IndustrialParkYear",
    "Programme",
    "Project",
    "beyond_shanghai_funds",
    "cadres_elsewhere",
    "money_field",
    "plain",
    "shanghai_allocated",
    "year_field",
    "year_in_range",
]
