"""The place names of the real reference data, as the import reads them."""

import pytest

from counties.places import PlaceNames


@pytest.fixture
def places(reference):
    return PlaceNames()
