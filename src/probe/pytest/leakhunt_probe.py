"""leakhunt per-test probe for pytest.

Loaded by leakhunt with ``-p leakhunt_probe`` and this folder prepended to PYTHONPATH; it is
never installed into the user's environment. It decides nothing: it writes facts, one JSON
line per event, to the file named by LEAKHUNT_PROBE_FILE, and leakhunt reads them
(src/probe/records.ts). Without LEAKHUNT_PROBE_FILE it records nothing; without
LEAKHUNT_STACKS_FILE it registers no signal handler.

Events (all sizes in bytes, times in ms; "pid" tells xdist workers apart):
  {"event": "start", "test", "pid", "worker", "tMs"}       before setup of each test
  {"event": "phase", "test", "phase", "pid", "worker",
   "rssBeforeBytes", "rssAfterBytes", "peakBytes",
   "childrenRssBytes", "durationMs", "leftovers"?, "topGrowth"?}
A test killed mid-run has a "start" line and no "teardown" line: that names it directly.

Only hook APIs present in pytest 7, 8 and 9 are used (old-style ``hookwrapper=True``).
"""
import faulthandler
import json
import os
import signal
import time

import pytest

_PROBE_PATH = os.environ.get("LEAKHUNT_PROBE_FILE")
_STACKS_PATH = os.environ.get("LEAKHUNT_STACKS_FILE")
_TRACEMALLOC = os.environ.get("LEAKHUNT_TRACEMALLOC") == "1"
_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
_PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
_TOP_GROWTH_SITES = 5

# Registered at import, not in pytest_configure: a hang while conftest.py or a test module
# is being imported must still answer SIGUSR1 (PLATFORM.md §6). The file stays open for the
# life of the process because faulthandler writes to its descriptor from a signal handler.
_stacks_file = None
if _STACKS_PATH and hasattr(signal, "SIGUSR1"):
    _stacks_file = open(_STACKS_PATH, "a", buffering=1)
    # collectStacks only signals processes that announced themselves here: a child python
    # that merely inherited the environment has no handler and would die of SIGUSR1.
    _stacks_file.write("leakhunt-probe armed pid=%d\n" % os.getpid())
    faulthandler.register(signal.SIGUSR1, file=_stacks_file, all_threads=True, chain=False)

_out = open(_PROBE_PATH, "a", buffering=1) if _PROBE_PATH else None

if _out is not None and _TRACEMALLOC:
    import tracemalloc

    tracemalloc.start(1)


def _emit(record):
    record["pid"] = os.getpid()
    if _WORKER:
        record["worker"] = _WORKER
    # One write per line: lines from xdist workers appending to the same file stay whole.
    _out.write(json.dumps(record, separators=(",", ":")) + "\n")


def _rss_bytes(pid="self"):
    try:
        with open("/proc/%s/statm" % pid) as statm:
            return int(statm.read().split()[1]) * _PAGE_BYTES
    except (OSError, ValueError, IndexError):
        return 0


def _reset_peak():
    # "5" resets VmHWM to the current RSS (Linux >= 4.0), so VmHWM after is this phase's peak.
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        pass


def _peak_bytes():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _descendants():
    """Pids of every live descendant of this process (children files of every thread)."""
    found, queue = [], [os.getpid()]
    while queue:
        pid = queue.pop()
        try:
            tasks = os.listdir("/proc/%d/task" % pid)
        except OSError:
            continue
        for task in tasks:
            try:
                with open("/proc/%d/task/%s/children" % (pid, task)) as children:
                    kids = [int(k) for k in children.read().split()]
            except (OSError, ValueError):
                continue
            found.extend(kids)
            queue.extend(kids)
    return found


def _describe(pid):
    try:
        command = _command(pid)
        with open("/proc/%d/stat" % pid) as stat:
            state = stat.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None
    return {"pid": pid, "state": state, "command": command[:200]}


def _command(pid):
    # A child caught between fork and exec (seen under load) has an empty cmdline for a few
    # milliseconds: ask again briefly, then fall back to its short name.
    for _ in range(5):
        with open("/proc/%d/cmdline" % pid, "rb") as cmdline:
            command = cmdline.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
        if command:
            return command
        time.sleep(0.01)
    with open("/proc/%d/comm" % pid) as comm:
        return "[%s]" % comm.read().strip()


def _top_growth(before, after):
    stats = after.compare_to(before, "lineno")
    grown = [s for s in stats if s.size_diff > 0][:_TOP_GROWTH_SITES]
    return [
        {"site": "%s:%d" % (s.traceback[0].filename, s.traceback[0].lineno),
         "sizeBytes": s.size_diff, "count": s.count_diff}
        for s in grown
    ]


def _measure(item, phase):
    """Generator body shared by the three phase wrappers: measure around one phase."""
    state = item.stash.setdefault(_STATE_KEY, {}) if hasattr(item, "stash") else _legacy_state(item)
    if phase == "setup":
        state["childrenBefore"] = set(_descendants())
        if _TRACEMALLOC:
            state["snapshot"] = tracemalloc.take_snapshot()
    _reset_peak()
    rss_before = _rss_bytes()
    started = time.perf_counter()
    yield
    duration_ms = (time.perf_counter() - started) * 1000
    children = _descendants()
    record = {
        "event": "phase", "test": item.nodeid, "phase": phase,
        "rssBeforeBytes": rss_before, "rssAfterBytes": _rss_bytes(),
        "peakBytes": _peak_bytes(), "childrenRssBytes": sum(_rss_bytes(c) for c in children),
        "durationMs": round(duration_ms, 3),
    }
    if phase == "teardown":
        new = [c for c in children if c not in state.get("childrenBefore", set())]
        record["leftovers"] = [d for d in map(_describe, new) if d is not None]
        if _TRACEMALLOC and "snapshot" in state:
            record["topGrowth"] = _top_growth(state.pop("snapshot"), tracemalloc.take_snapshot())
    _emit(record)


_STATE_KEY = pytest.StashKey[dict]() if hasattr(pytest, "StashKey") else None


def _legacy_state(item):
    # pytest < 7 has no stash; an attribute with our prefix will do.
    if not hasattr(item, "_leakhunt_state"):
        item._leakhunt_state = {}
    return item._leakhunt_state


if _out is not None:

    @pytest.hookimpl(hookwrapper=True, tryfirst=True)
    def pytest_runtest_protocol(item, nextitem):
        _emit({"event": "start", "test": item.nodeid, "tMs": round(time.time() * 1000)})
        yield

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_setup(item):
        yield from _measure(item, "setup")

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(item):
        yield from _measure(item, "call")

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_teardown(item, nextitem):
        yield from _measure(item, "teardown")
