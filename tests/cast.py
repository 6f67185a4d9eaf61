"""A cadre and a project with every required field filled in, for tests whose setup is about a
few of those fields: the test passes what it is about, as keywords, and the rest is one
plain default here. Plain functions rather than fixtures, because tests make several of
each, with different fields, after their fixtures have set the places up.
"""

import datetime

from personnel.models import Cadre
from projects.models import Project

CADRE = {
    "name": "张伟",
    "gender": "male",
    "kind": "official",
    "sending_unit": "黄浦区发展改革委",
    "post": "副县长",
    "term_start": datetime.date(2023, 1, 1),
}
PROJECT = {"code": "2023-LC-001", "name": "茶叶初制所", "category": "industry", "year": 2023}


def make_cadre(**fields):
    """A cadre on post since 2023-01-01: 张伟, male, a 党政干部 of 黄浦区发展改革委 serving as
    副县长. Give the posting, `county=` or `prefecture=` (exactly one: the database checks)."""
    return Cadre.objects.create(**{**CADRE, **fields})


def make_project(*, county, **fields):
    """Project 2023-LC-001 茶叶初制所, 产业发展, of 2023 in the county: the project of the
    report row tests/projects/report_files.py writes by default."""
    return Project.objects.create(county=county, **{**PROJECT, **fields})
