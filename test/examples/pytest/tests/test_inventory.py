from metrics import Metrics
from shop import PRODUCTS


class TestStock:
    def test_reserve_stock(self):
        metrics = Metrics("inventory")
        metrics.observe("reserved", 1)
        assert "sku-2" in PRODUCTS
