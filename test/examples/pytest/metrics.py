"""A tiny stand-in for prometheus_client: one process-wide registry of collectors.

The leak from the seed story: every `Metrics()` registers ~100 collectors in the global
REGISTRY and nothing ever unregisters them, so each test that builds a Metrics keeps
about 4 MB alive until the process ends. One test is harmless; a few hundred in one
pytest process are an OOM kill.
"""

COLLECTORS_PER_METRICS = 100
SAMPLE_BUFFER_BYTES = 40 * 1024

# Like prometheus_client.REGISTRY: module-level, lives as long as the process.
REGISTRY = []


class Collector:
    def __init__(self, name):
        self.name = name
        # Filled with a non-zero byte so the pages are really touched and counted in RSS.
        self.samples = bytearray(b"\x01" * SAMPLE_BUFFER_BYTES)


class Metrics:
    def __init__(self, service, collectors=COLLECTORS_PER_METRICS):
        self.collectors = [Collector(f"{service}_metric_{index}") for index in range(collectors)]
        REGISTRY.extend(self.collectors)

    def observe(self, name, value):
        self.collectors[hash(name) % len(self.collectors)].samples[0] = value % 256
