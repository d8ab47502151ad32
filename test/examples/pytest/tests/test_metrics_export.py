import pytest

from metrics import Metrics

# A per-endpoint exporter registers ~500 collectors (~20 MB of sample buffers) in the
# process-wide REGISTRY and never unregisters them. No case is big on its own; twenty of
# them in one pytest process pass 300 MB somewhere around the 13th.
EXPORTER_COLLECTORS = 500
ENDPOINTS = [f"endpoint_{index:02d}" for index in range(20)]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_export_endpoint_metrics(endpoint):
    metrics = Metrics(endpoint, collectors=EXPORTER_COLLECTORS)
    metrics.observe("requests", 1)
    assert len(metrics.collectors) == EXPORTER_COLLECTORS
