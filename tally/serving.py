"""How `tally serve` and `tally gateway` serve: several web processes on one listening socket, so
throughput grows with cores (one process is one event loop and one GIL), and for `tally serve`
the jobs process beside them (tally.jobs), started again if it dies.

uvicorn's supervisor forks nothing: it spawns each web process afresh, which builds the app from
a factory in tally.app, and replaces any that dies. Every process reads the same settings from
the environment; what is per process (a connection pool, the document cache, recently checked
callers) needs no sharing, and what must be shared lives in the database (the outbox, the
throttle's windows when several processes count) or travels between the processes (live
events: shared.live_peers).
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import signal
import threading
from collections.abc import Iterator
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from shared.logging import get_logger

log = get_logger(__name__)

# Factories uvicorn imports in each web process.
SERVE_APP = "tally.app:serve_web_process"
GATEWAY_APP = "tally.app:gateway_process"

JOBS_STOP_SECONDS = 30.0
# How many web processes serve, as each of them learns it (set for them by `serve_web`).
WEB_PROCESSES_VARIABLE = "TALLY_WEB_PROCESSES"
# How the jobs process ends when asked to: its own clean exit, or SIGINT/SIGTERM before it
# handles them. Anything else (a crash, SIGKILL from the OOM killer) is a death to make good.
_ASKED_TO_STOP = (0, -signal.SIGINT, -signal.SIGTERM)


def default_workers(cpu_max: Path = Path("/sys/fs/cgroup/cpu.max")) -> int:
    """The cores this process may run on, bounded by its cgroup's CPU quota (a container sees
    every core of its host, and may be allowed two)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cores = max(1, cores or 1)
    try:
        quota, period = cpu_max.read_text().split()[:2]
        if quota != "max":
            cores = min(cores, max(1, math.ceil(int(quota) / int(period))))
    except (OSError, ValueError):
        pass  # no cgroup v2 quota to read: the cores it is
    return cores


def serve_web(app: str, host: str, port: int, workers: int, options: dict[str, Any]) -> None:
    """Serve the app that the factory `app` builds, in `workers` processes, until a signal."""
    import uvicorn

    # After a graceful stop on SIGTERM, uvicorn's single process raises the signal again for its
    # previous handler: ignored, so that what follows (stopping the jobs) still runs.
    previous = signal.signal(signal.SIGTERM, lambda *_: None)
    os.environ[WEB_PROCESSES_VARIABLE] = str(workers)
    try:
        uvicorn.run(app, factory=True, host=host, port=port, workers=workers, **options)
    finally:
        signal.signal(signal.SIGTERM, previous)


class JobsProcess:
    """The jobs process, watched: started again when it dies while the web processes serve."""

    def __init__(self) -> None:
        self._context = multiprocessing.get_context("spawn")
        self._process: BaseProcess | None = None
        self._stopping = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="jobs-watcher", daemon=True)

    def start(self) -> None:
        self._process = self._spawn()
        self._watcher.start()

    def stop(self, timeout: float = JOBS_STOP_SECONDS) -> None:
        """SIGTERM, then the time to finish the jobs in hand, then SIGKILL."""
        self._stopping.set()
        self._watcher.join()
        process = self._process
        if process is None:
            return
        if process.is_alive():
            process.terminate()
        process.join(timeout)
        if process.is_alive():
            log.error("jobs.killed", pid=process.pid, after_seconds=timeout)
            process.kill()
            process.join()

    def _spawn(self) -> BaseProcess:
        from tally.jobs import jobs_process

        process = self._context.Process(target=jobs_process, name="tally-jobs")
        process.start()
        return process

    def _watch(self) -> None:
        while not self._stopping.wait(1.0):
            process = self._process
            if process is None or process.is_alive() or self._stopping.is_set():
                continue
            if process.exitcode in _ASKED_TO_STOP:
                # A signal to the whole group (Ctrl-C, a service manager): the parent stops too.
                log.info("jobs.stopped", pid=process.pid, exitcode=process.exitcode)
                return
            log.error("jobs.died", pid=process.pid, exitcode=process.exitcode)
            self._process = self._spawn()


@contextlib.contextmanager
def jobs_beside() -> Iterator[JobsProcess]:
    """The jobs process, for as long as the block serves."""
    jobs = JobsProcess()
    jobs.start()
    try:
        yield jobs
    finally:
        jobs.stop()


# The youngest generation's size before the garbage collector runs: Python's 700 made a report
# of 720 cells pay for several collections.
GC_YOUNG_THRESHOLD = 7_000


def settle_memory() -> None:
    """Once a process has started (its modules, schema and mappers loaded): move every object
    alive now out of the garbage collector's sight, and collect the young less often.

    A started process holds a few hundred thousand long-lived objects (modules, the GraphQL
    schema, SQLAlchemy's mappers) that each full collection walked again: a whole-history
    report spent 6 ms of its 21 in the collector. Frozen (gc.freeze), they are never scanned;
    what requests allocate is collected as before. Measured in bench/results (gc section)."""
    import gc

    gc.collect()
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, middle, oldest)
