from metrics import Metrics
from shop import invoice_number


def test_invoice_numbering():
    metrics = Metrics("billing")
    metrics.observe("invoice", 1)
    assert invoice_number(2025, 42) == "INV-2025-000042"
