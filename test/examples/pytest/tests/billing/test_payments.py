from metrics import Metrics
from shop import apply_discount


def test_card_payment_captures_total():
    metrics = Metrics("billing")
    metrics.observe("payment", 1)
    assert apply_discount(2499, 0) == 2499
