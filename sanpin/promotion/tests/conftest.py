import pytest

from .factories import TODAY


@pytest.fixture
def today(on_day):
    on_day(TODAY)
    return TODAY
