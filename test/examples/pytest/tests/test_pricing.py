import pytest

from shop import apply_discount


@pytest.mark.parametrize("percent, expected", [(10, 3600), (25, 3000)])
def test_percentage_discount(percent, expected):
    assert apply_discount(4000, percent) == expected
