"""Reading a place as the import does (counties.places): the code it names and the notice
that comes with it, or the message it is refused with."""

import pytest


def county_of(places, value, prefecture=None):
    county, notice = places.county(value, prefecture)
    return county.code, notice


def prefecture_of(places, value):
    prefecture, notice = places.prefecture(value)
    return (prefecture.code if prefecture else None), notice


def refusal(read, *args):
    with pytest.raises(ValueError) as error:
        read(*args)
    return str(error.value)
