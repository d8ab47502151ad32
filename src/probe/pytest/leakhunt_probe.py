"""leakhunt per-test probe for pytest.

Loaded by leakhunt with ``-p leakhunt_probe`` and this folder prepended to PYTHONPATH; it is
never installed into the user's environment. It decides nothing: it writes facts, one JSON
line per event, to the file named by LEAKHUNT_PROBE_FILE, and leakhunt reads them
(src/probe/records.ts). Without LEAKHUNT_PROBE_FILE it records nothing; without
LEAKHUNT_STACKS_FILE it registers no signal handler.

Events (all sizes in bytes, times in ms; "pid" tells xdist workers apart):
  {"event": "start", "test", "pid", "worker", "tMs",
   "retainedRssBeforeBytes"?, "tracedBeforeBytes"?}         before setup of each test; the
                                                            retained figures on the first
                                                            test of each module only
  {"event": "phase", "test", "phase", "pid", "worker",
   "rssBeforeBytes", "rssAfterBytes", "peakBytes",
   "childrenRssBytes", "durationMs", "leftovers"?, "topGrowth"?,
   "retainedRssBytes"?, "tracedBytes"?,
   "retainedCarried"?, "retainedRssBoundBytes"?,
   "tracedBoundBytes"?, "tMs"}                              retained figures after teardown
                                                            (retainedCarried: no collection,
                                                            the last measured ones, with the
                                                            figures before any collection as
                                                            *BoundBytes, see _retained); tMs: wall clock
                                                            (epoch ms) at the phase's end
  {"event": "outcome", "test", "pid", "when", "outcome": "failed"}
                                                            a phase failed (written at once:
                                                            a killed run leaves no JUnit)
  {"event": "sites", "test", "pid", "sites": [{"site", "sizeBytes", "count"}]}
                                                            LEAKHUNT_TRACE_SITES=1: what grew
                                                            since the batch's first test
A test killed mid-run has a "start" line and no "teardown" line: that names it directly.
"Retained" is what the process still holds once the test is over: RSS after gc.collect()
(cycles freed, so garbage is not a leak) and, when tracemalloc runs, its traced total
(exact, blind to the allocator's cached pages); the collection runs only when it can move
the figure by more than LEAKHUNT_GC_STEP_BYTES (LEAKHUNT_GC_EVERY_TEST=1: after every test).
Costs: docs/accumulators.md.

Only hook APIs present in pytest 7, 8 and 9 are used (old-style ``hookwrapper=True``).
"""
import faulthandler
import json
import os
import signal
import sys
import time

import pytest

_PROBE_PATH = os.environ.get("LEAKHUNT_PROBE_FILE")
_STACKS_PATH = os.environ.get("LEAKHUNT_STACKS_FILE")
_TRACEMALLOC = os.environ.get("LEAKHUNT_TRACEMALLOC") == "1"
# Snapshots at the batch's start and after each test, compared cumulatively: where the
# memory a batch keeps was allocated. Asked for on the accumulator's confirmation run only.
_TRACE_SITES = os.environ.get("LEAKHUNT_TRACE_SITES") == "1"
_TOP_SITES = 20
_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
_PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
_TOP_GROWTH_SITES = 5

# Registered at import, not in pytest_configure: a hang while conftest.py or a test module
# is being imported must still answer SIGUSR1 (docs/platform.md §6). The file stays open for the
# life of the process because faulthandler writes to its descriptor from a signal handler.
_stacks_file = None
if _STACKS_PATH and hasattr(signal, "SIGUSR1"):
    _stacks_file = open(_STACKS_PATH, "a", buffering=1)
    # collectStacks only signals processes that announced themselves here: a child python
    # that merely inherited the environment has no handler and would die of SIGUSR1.
    _stacks_file.write("leakhunt-probe armed pid=%d\n" % os.getpid())
    faulthandler.register(signal.SIGUSR1, file=_stacks_file, all_threads=True, chain=False)

_out = open(_PROBE_PATH, "a", buffering=1) if _PROBE_PATH else None

if _out is not None and (_TRACEMALLOC or _TRACE_SITES):
    import tracemalloc

    # Sites are what the batch allocated and kept: tracing starts at its first test (see
    # pytest_runtest_protocol), so imports are not traced and cost nothing to snapshot.
    if _TRACEMALLOC:
        tracemalloc.start(1)

import gc


def _malloc_free_reader():
    """glibc's mallinfo2().fordblks: bytes malloc holds free (resident, yet nobody's)."""
    import ctypes

    class MallInfo2(ctypes.Structure):
        _fields_ = [(name, ctypes.c_size_t) for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]

    mallinfo2 = ctypes.CDLL(None).mallinfo2  # AttributeError: not glibc >= 2.33
    mallinfo2.restype = MallInfo2
    return lambda: mallinfo2().fordblks


try:
    # Only with /proc's RSS: the portable path's RSS (macOS) is not glibc's to correct.
    _portable = not os.path.isdir("/proc/self/task") or os.environ.get("LEAKHUNT_PROBE_PORTABLE") == "1"
    _malloc_free_bytes = None if _portable else _malloc_free_reader()
except (OSError, AttributeError):
    _malloc_free_bytes = None


def _step_bytes():
    try:  # like the jest probe: anything but a positive number is the default
        step = float(os.environ.get("LEAKHUNT_GC_STEP_BYTES") or 0)
    except ValueError:
        step = 0
    return step if step > 0 else 512 * 1024


# A full gc.collect() walks every tracked object: 50 ms per call on networkx's heap, 7.2× a
# passing run when taken after every test (docs/benchmarks.md). It runs only when it can move
# the retained figure by more than the step (below the accumulator rule's least contributor,
# 1 MiB: src/classify/accumulator/rule.ts), as the jest probe does; docs/accumulators.md.
_GC_STEP_BYTES = _step_bytes()
# Every test gets its full collection when asked, and on the accumulator's confirmation run
# (sites traced, or a node id given twice): a handful of contributors whose own figures decide
# whether each is named, and tracing already costs more than the collections.
_gc_every_test = os.environ.get("LEAKHUNT_GC_EVERY_TEST") == "1" or _TRACE_SITES
# A module's last test collected regardless: how the probe was until the module end was
# measured like any test (kept to compare the two, docs/probes.md).
_GC_MODULE_END = os.environ.get("LEAKHUNT_GC_MODULE_END") == "1"
_last_retained = None  # the figures of the last full collection


def _figures():
    figures = {"retainedRssBytes": _rss_bytes() - (_malloc_free_bytes() if _malloc_free_bytes else 0)}
    if _TRACEMALLOC or _TRACE_SITES:
        figures["tracedBytes"] = tracemalloc.get_traced_memory()[0]
    return figures


_BOUND_KEYS = {"retainedRssBytes": "retainedRssBoundBytes", "tracedBytes": "tracedBoundBytes"}


def _retained(measure=False):
    """What the process holds once garbage is gone: RSS after a full collection, less what
    malloc keeps free for reuse (a freed 20 MiB temporary stays resident in glibc's heap and
    is no one's growth; measured: docs/accumulators.md), plus tracemalloc's total when on.

    Or the last such figures, carried (``retainedCarried``), when a full collection cannot
    have moved them by more than the step: a collection only frees, so the figures before it
    are an upper bound of the figures after it; within the step of the last measured ones,
    the process kept at most the step since. A young collection first (a test's cyclic garbage
    is young; ~0.02 ms on networkx) tightens the bound. A carried test's bounds go along
    (``*BoundBytes``): the rule reads what each carried test kept off them, for its baseline.
    ``measure``: collect regardless (a module's last test with LEAKHUNT_GC_MODULE_END=1).
    A module's baseline, taken before its first test with only pytest's bookkeeping since the
    previous test (modules are imported at collection), is carried or measured the same way.
    """
    global _last_retained
    if _last_retained is not None and not _gc_every_test and not measure:
        gc.collect(1)
        bound = _figures()
        if all(abs(bound[k] - _last_retained.get(k, bound[k])) <= _GC_STEP_BYTES for k in bound):
            # The bound goes along: for the rule's per-test baseline, what a carried test kept
            # is read off it (docs/accumulators.md), while its growth stays 0.
            carried = dict(_last_retained, retainedCarried=True)
            carried.update({_BOUND_KEYS[k]: v for k, v in bound.items()})
            return carried
    gc.collect()
    _last_retained = _figures()
    return dict(_last_retained)


_batch_start_snapshot = None
_last_module = None
# The first test of each module gets a sites snapshot too: a run that dies in its third file
# then still shows the lines of every file that ran, not only the first file's.
_first_of_module = None


def _snapshot():
    return tracemalloc.take_snapshot()


# The probe's own and the runner's bookkeeping (pytest keeps every report) are not the
# user's leak: left out of the sites. Filtered on the per-line statistics, not on every
# trace (filter_traces over a big heap took seconds).
_NOT_USER_CODE = ("/_pytest/", "/pluggy/", "/tracemalloc.py", "leakhunt_probe.py", "<frozen ", "<unknown>")


def _is_user_site(filename):
    return not any(part in filename for part in _NOT_USER_CODE)


def _site_name(filename, lineno):
    relative = os.path.relpath(filename) if os.path.isabs(filename) else filename
    return "%s:%d" % (filename if relative.startswith("..") else relative, lineno)


def _grown_sites(before, after, limit, user_only=False):
    stats = after.compare_to(before, "lineno")
    grown = [s for s in stats if s.size_diff > 0 and (not user_only or _is_user_site(s.traceback[0].filename))][:limit]
    return [
        {"site": _site_name(s.traceback[0].filename, s.traceback[0].lineno),
         "sizeBytes": s.size_diff, "count": s.count_diff}
        for s in grown
    ]


def _emit(record):
    record["pid"] = os.getpid()
    if _WORKER:
        record["worker"] = _WORKER
    # One write per line: lines from xdist workers appending to the same file stay whole.
    _out.write(json.dumps(record, separators=(",", ":")) + "\n")


# Linux answers every question from /proc. Elsewhere (macOS) there is no /proc: resident
# memory comes from proc_pid_rusage (libproc, through ctypes), or failing that from the peak
# getrusage reports; children and their commands from one `ps` listing. The per-phase peak
# cannot be reset there, so it is left out (0) rather than reported as the lifetime peak.
# LEAKHUNT_PROBE_PORTABLE=1 takes that path on Linux too, so it is tested here.
_USE_PROC = os.path.isdir("/proc/self/task") and os.environ.get("LEAKHUNT_PROBE_PORTABLE") != "1"


# The process's own /proc files are read several times per test: each is opened once and
# re-read with pread (procfs regenerates the text at offset 0), about half the cost of an
# open/read/close per look. Keyed by pid: a forked child (pytest-forked) opens its own.
_own_fds = {}


def _own_fd(name, flags=os.O_RDONLY):
    pid = os.getpid()
    known = _own_fds.get(name)
    if known is None or known[0] != pid:
        known = (pid, os.open("/proc/self/" + name, flags | getattr(os, "O_CLOEXEC", 0)))
        _own_fds[name] = known
    return known[1]


def _rss_bytes(pid=None):
    if not _USE_PROC:
        return _portable_rss(pid)
    try:
        if pid is None:
            return int(os.pread(_own_fd("statm"), 256, 0).split()[1]) * _PAGE_BYTES
        with open("/proc/%s/statm" % pid) as statm:
            return int(statm.read().split()[1]) * _PAGE_BYTES
    except (OSError, ValueError, IndexError):
        return 0


def _reset_peak():
    # "5" resets VmHWM to the current RSS (Linux >= 4.0), so VmHWM after is this phase's peak.
    if not _USE_PROC:
        return
    try:
        os.pwrite(_own_fd("clear_refs", os.O_WRONLY), b"5", 0)
    except OSError:
        pass


def _peak_bytes():
    if not _USE_PROC:
        return 0
    try:
        status = os.pread(_own_fd("status"), 8192, 0)
        at = status.find(b"VmHWM:")
        if at >= 0:
            return int(status[at + 6:status.index(b"\n", at)].split()[0]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _descendants():
    """Pids of every live descendant of this process."""
    if not _USE_PROC:
        return _portable_descendants()
    found, queue = [], [os.getpid()]
    while queue:
        pid = queue.pop()
        try:
            tasks = os.listdir("/proc/%d/task" % pid)
        except OSError:
            continue
        for task in tasks:  # a child forked by a non-main thread is listed under that thread
            try:
                with open("/proc/%d/task/%s/children" % (pid, task)) as children:
                    kids = [int(k) for k in children.read().split()]
            except (OSError, ValueError):
                continue
            found.extend(kids)
            queue.extend(kids)
    return found


def _describe(pid):
    if not _USE_PROC:
        row = _ps_rows().get(pid)
        return None if row is None else {"pid": pid, "state": row["state"], "command": row["command"][:200]}
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


def _make_rusage_reader():
    """proc_pid_rusage(pid, RUSAGE_INFO_V0) from libproc: the resident size of any own process."""
    import ctypes

    class RusageInfoV0(ctypes.Structure):
        _fields_ = [("uuid", ctypes.c_uint8 * 16)] + [
            (name, ctypes.c_uint64) for name in (
                "user_time", "system_time", "pkg_idle_wkups", "interrupt_wkups", "pageins",
                "wired_size", "resident_size", "phys_footprint", "proc_start_abstime", "proc_exit_abstime")
        ]

    proc_pid_rusage = ctypes.CDLL(None).proc_pid_rusage  # AttributeError where libproc is absent
    proc_pid_rusage.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_void_p]
    proc_pid_rusage.restype = ctypes.c_int

    def read(pid):
        info = RusageInfoV0()
        return info.resident_size if proc_pid_rusage(pid, 0, ctypes.byref(info)) == 0 else 0

    if read(os.getpid()) <= 0:
        raise OSError("proc_pid_rusage answered nothing")
    return read


def _peak_rss_reader():
    import resource
    import sys

    unit = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB elsewhere

    def read(pid):
        # Only our own figure is known, and it is the peak so far: for a growing process the same thing.
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * unit if pid == os.getpid() else 0

    return read


_rss_reader = None


def _portable_rss(pid):
    global _rss_reader
    if _rss_reader is None:
        try:
            _rss_reader = _make_rusage_reader()
        except (OSError, AttributeError, ValueError):
            _rss_reader = _peak_rss_reader()
    target = pid or os.getpid()
    if target != os.getpid():
        row = _ps_rows(cached=True).get(target)
        figure = _rss_reader(target)
        return figure or (row["rssBytes"] if row else 0)
    return _rss_reader(target)


_rows_cache = {}


def _ps_rows(cached=False):
    """pid -> ppid, state, RSS and command, from one ps listing (a listing is reused when cached)."""
    global _rows_cache
    if cached and _rows_cache:
        return _rows_cache
    import subprocess

    try:
        listing = subprocess.run(
            ["ps", "-A", "-ww", "-o", "pid=", "-o", "ppid=", "-o", "rss=", "-o", "state=", "-o", "args="],
            capture_output=True, text=True, timeout=10, env=dict(os.environ, LC_ALL="C"),
        )
        ps_pid = None  # the ps process lists itself as our child: leave it out
        rows = {}
        for line in listing.stdout.splitlines():
            words = line.split(None, 4)
            if len(words) < 4:
                continue
            pid, ppid, rss, state = int(words[0]), int(words[1]), int(words[2]), words[3][:1]
            rows[pid] = {"ppid": ppid, "rssBytes": rss * 1024, "state": state, "command": words[4] if len(words) > 4 else ""}
            if words[4:] and words[4].startswith("ps -A -ww -o pid="):
                ps_pid = pid
        rows.pop(ps_pid, None)
    except (OSError, ValueError, subprocess.SubprocessError):
        rows = {}
    _rows_cache = rows
    return rows


def _portable_descendants():
    rows = _ps_rows()
    children = {}
    for pid, row in rows.items():
        children.setdefault(row["ppid"], []).append(pid)
    found, queue = [], [os.getpid()]
    while queue:
        kids = children.get(queue.pop(), [])
        found.extend(p for p in kids if rows[p]["state"] != "Z")
        queue.extend(kids)
    return found


def _top_growth(before, after):
    return _grown_sites(before, after, _TOP_GROWTH_SITES)


def _measure(item, phase, module_ends=False):
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
    # leakhunt reads children from the last phase only; without /proc each look costs a ps run.
    children = _descendants() if _USE_PROC or phase == "teardown" else []
    record = {
        "event": "phase", "test": item.nodeid, "phase": phase,
        "rssBeforeBytes": rss_before, "rssAfterBytes": _rss_bytes(),
        "peakBytes": _peak_bytes(), "childrenRssBytes": sum(_rss_bytes(c) for c in children),
        "durationMs": round(duration_ms, 3), "tMs": round(time.time() * 1000),
    }
    if phase == "teardown":
        new = [c for c in children if c not in state.get("childrenBefore", set())]
        record["leftovers"] = [d for d in map(_describe, new) if d is not None]
        if _TRACEMALLOC and "snapshot" in state:
            record["topGrowth"] = _top_growth(state.pop("snapshot"), tracemalloc.take_snapshot())
        record.update(_retained(measure=module_ends))
    _emit(record)
    if phase == "teardown" and _TRACE_SITES and _batch_start_snapshot is not None and (_sites_due(state) or item.nodeid == _first_of_module):
        _emit({"event": "sites", "test": item.nodeid,
               "sites": _grown_sites(_batch_start_snapshot, _snapshot(), _TOP_SITES, user_only=True)})
        _sites_clock["traced"] = tracemalloc.get_traced_memory()[0]


# A snapshot of a big heap takes up to a second: one after the last test, and before it
# each time the traced total grew by half (a handful per run; a run that dies of memory
# still has one taken within 50 % of where it died).
_sites_clock = {"traced": 0}


def _sites_due(state):
    if state.get("last"):
        return True
    return tracemalloc.get_traced_memory()[0] >= 1.5 * _sites_clock["traced"] + 4 * 1024 * 1024


def _nodeid_of_arg(config, arg):
    """A command-line node id as pytest spells the item's: its file relative to the rootdir."""
    path, _, rest = arg.partition("::")
    invoked = str(getattr(config, "invocation_params", None).dir) if hasattr(config, "invocation_params") else os.getcwd()
    rootdir = str(getattr(config, "rootpath", None) or config.rootdir)
    relative = os.path.relpath(os.path.join(invoked, path), rootdir).replace(os.sep, "/")
    return relative + "::" + rest


_STATE_KEY = pytest.StashKey[dict]() if hasattr(pytest, "StashKey") else None


def _legacy_state(item):
    # pytest < 7 has no stash; an attribute with our prefix will do.
    if not hasattr(item, "_leakhunt_state"):
        item._leakhunt_state = {}
    return item._leakhunt_state


if _out is not None:

    def pytest_sessionstart(session):
        # The report's runner version, so leakhunt need not start `pytest --version` beside
        # the first batch (read back by src/probe/hunt-probes.ts; records.ts skips this line).
        _out.write(json.dumps({"event": "session", "runner": "pytest %s (%s)" % (pytest.__version__, sys.executable)}) + "\n")

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(session, config, items):
        # A node id leakhunt gave twice runs twice, back to back, in this process: the
        # accumulator confirmation asks whether a lone contributor keeps memory AGAIN (a feeder
        # does; a first import or a cache filled once does not). pytest itself collects a node
        # id once, --keep-duplicates or not. runtestprotocol re-creates the fixture request of
        # an item run again (what rerun plugins rely on).
        counts = {}
        for arg in config.args:
            if "::" in arg:
                nodeid = _nodeid_of_arg(config, arg)
                counts[nodeid] = counts.get(nodeid, 0) + 1
        if not any(n > 1 for n in counts.values()):
            return
        global _gc_every_test
        _gc_every_test = True
        repeated = []
        for item in items:
            repeated.extend([item] * max(1, counts.get(item.nodeid, 1)))
        items[:] = repeated

    @pytest.hookimpl(hookwrapper=True, tryfirst=True)
    def pytest_runtest_protocol(item, nextitem):
        global _batch_start_snapshot, _last_module, _first_of_module
        start = {"event": "start", "test": item.nodeid, "tMs": round(time.time() * 1000)}
        # A module's first test gets a "before" of its own: what the previous module's
        # teardown freed (or a module fixture's teardown) is nobody's growth.
        module = item.nodeid.split("::")[0]
        if module != _last_module:
            _last_module = module
            _first_of_module = item.nodeid
            if _TRACE_SITES and not tracemalloc.is_tracing():
                tracemalloc.start(1)
            before = _retained()
            start["retainedRssBeforeBytes"] = before["retainedRssBytes"]
            if "tracedBytes" in before:
                start["tracedBeforeBytes"] = before["tracedBytes"]
            if _TRACE_SITES and _batch_start_snapshot is None:
                _batch_start_snapshot = _snapshot()
        _emit(start)
        yield

    def pytest_runtest_logreport(report):
        # A failure is written the moment pytest knows it: a run killed later (timeout,
        # memory) writes no JUnit, and this line is all that is left of the failure.
        if report.failed:
            _emit({"event": "outcome", "test": report.nodeid, "when": report.when, "outcome": "failed"})

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_setup(item):
        yield from _measure(item, "setup")

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(item):
        yield from _measure(item, "call")

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_teardown(item, nextitem):
        if nextitem is None and hasattr(item, "stash"):
            item.stash.setdefault(_STATE_KEY, {})["last"] = True
        # A module's last test is measured like any other (LEAKHUNT_GC_MODULE_END=1: always, as
        # before): on networkx those 32 collections were ~1.6 s of the probe's ~2.8 s, and a
        # carried tail keeps under the step (docs/accumulators.md).
        module_ends = _GC_MODULE_END and (nextitem is None or nextitem.nodeid.split("::")[0] != item.nodeid.split("::")[0])
        yield from _measure(item, "teardown", module_ends)
