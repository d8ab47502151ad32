from metrics import Metrics
from shop import order_total


def test_create_order():
    metrics = Metrics("orders")
    metrics.observe("created", 1)
    assert order_total([("sku-1", 1), ("sku-3", 2)]) == 5797


def test_cancel_order():
    metrics = Metrics("orders")
    metrics.observe("cancelled", 1)
    assert order_total([]) == 0


def test_refund_order():
    metrics = Metrics("orders")
    metrics.observe("refunded", 1)
    assert order_total([("sku-2", 1)]) == 2499
