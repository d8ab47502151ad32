from metrics import Metrics
from shop import order_total

HISTORY_BYTES = 400 * 2**20


def test_daily_summary():
    metrics = Metrics("reports")
    metrics.observe("daily", 1)
    assert order_total([("sku-3", 10)]) == 8990


def test_export_full_history():
    # The hog: loads "the whole order history" at once, 400 MB, every page touched
    # (bytearray zero-fills what it allocates).
    history = bytearray(HISTORY_BYTES)
    assert len(history) == HISTORY_BYTES
