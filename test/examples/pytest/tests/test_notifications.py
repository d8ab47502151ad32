import subprocess


def test_webhook_worker_starts():
    # The zombie from the seed story: a background worker started and never stopped.
    # The test passes; the process outlives pytest (leakhunt reports it as an orphan).
    worker = subprocess.Popen(["sleep", "20"])
    assert worker.pid > 0
