"""澜沧 and 孟连 as the reference data holds them (fixtures/reference.json), for the tests that
import yearly reports as county offices really lay them out. The fixtures are imported by
name, as tests/indicators/scorecard_cast.py's are."""

import pytest

from counties.models import County


@pytest.fixture(name="lancang")
def lancang_fixture(reference):
    return County.objects.get(code="530828")


@pytest.fixture(name="menglian")
def menglian_fixture(reference):
    return County.objects.get(code="530827")


MENGLIAN = "孟连傣族拉祜族佤族自治县"
LANCANG = "澜沧拉祜族自治县"
