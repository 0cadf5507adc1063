"""Untrusted work in a child process with CPU-time, memory and wall-time limits.

Parsing a file somebody uploaded can take hours or gigabytes whatever the parser promises. The
child runs ``python -m <module>`` with an empty environment (no secrets, no database), reads its
input from stdin and writes its answer to stdout. The limits are set on the child from outside
(``prlimit``) before it receives a single byte of input, so they hold even if the parsing code
misbehaves; the wall time is enforced by killing the child's process group.

``stop_all()`` (the worker calls it on SIGTERM) kills every running child at once; the waiting
call then raises ``Interrupted`` so the task can be put back in the queue instead of failing.

This module must not import Django: the child imports it too.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MEMORY_EXIT_CODE = 3  # the child ran out of its address space
_PARENT_VARIABLE = "ISOLATION_PARENT_PID"


@dataclass(frozen=True)
class Limits:
    cpu_seconds: int
    memory_mb: int
    wall_seconds: float


class Failed(Exception):
    """The child was stopped by a limit or died; ``reason`` is ``time``, ``memory`` or ``crashed``."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


class Interrupted(Exception):
    """The worker is stopping; the work was abandoned and should be done again later."""


_running: set[subprocess.Popen[bytes]] = set()
_lock = threading.RLock()  # re-entrant: stop_all may run in a signal handler of the same thread
_stopping = threading.Event()


def _limit(pid: int, limits: Limits) -> None:
    memory = limits.memory_mb * 1024 * 1024
    resource.prlimit(pid, resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1))
    resource.prlimit(pid, resource.RLIMIT_AS, (memory, memory))
    resource.prlimit(pid, resource.RLIMIT_FSIZE, (0, 0))  # writes no files
    resource.prlimit(pid, resource.RLIMIT_CORE, (0, 0))


def _kill(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # already gone
        os.killpg(process.pid, signal.SIGKILL)


def run(module: str, args: list[str], data: bytes, limits: Limits) -> bytes:
    """Run ``python -m module *args`` on ``data`` within ``limits``; its stdout, or Failed/Interrupted."""
    if _stopping.is_set():
        raise Interrupted
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module, no shell
        [sys.executable, "-s", "-m", module, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env={
            "PATH": os.defpath,
            "PYTHONPATH": str(ROOT),
            "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1",
            _PARENT_VARIABLE: str(os.getpid()),
        },
        start_new_session=True,  # its own process group: a kill takes anything it started along
    )
    with _lock:
        _running.add(process)
    try:
        try:
            _limit(process.pid, limits)
        except OSError:
            _kill(process)
            process.wait()
            raise
        try:
            output, errors = process.communicate(data, timeout=limits.wall_seconds)
        except subprocess.TimeoutExpired:
            _kill(process)
            process.communicate()
            raise Failed("time", f"over {limits.wall_seconds:g} s wall time") from None
    finally:
        with _lock:
            _running.discard(process)
    if _stopping.is_set() and process.returncode != 0:
        raise Interrupted
    code = process.returncode
    if code == 0:
        return output
    detail = errors.decode("utf-8", "replace")[-500:]
    if code in (-signal.SIGXCPU, -signal.SIGKILL):
        raise Failed("time", f"over {limits.cpu_seconds} s CPU time")
    if code == MEMORY_EXIT_CODE:
        raise Failed("memory", f"over {limits.memory_mb} MB")
    raise Failed("crashed", f"exit code {code}: {detail}")


def stop_all() -> None:
    """Kill every running child now (from a signal handler, too); their callers raise Interrupted."""
    _stopping.set()
    with _lock:
        processes = list(_running)
    for process in processes:
        _kill(process)


def _die_with_parent() -> None:
    """Linux: be killed when the worker dies (SIGKILL, OOM killer) instead of parsing on as an orphan."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if str(os.getppid()) != os.environ.get(_PARENT_VARIABLE, str(os.getppid())):
        os._exit(1)  # the parent died before the line above took effect


def child_main(work: Callable[[list[str], bytes], bytes]) -> None:
    """The child's side: stdin to ``work(args, data)``, its answer to stdout; running out of memory exits 3."""
    _die_with_parent()
    try:
        data = sys.stdin.buffer.read()
        output = work(sys.argv[1:], data)
    except MemoryError:
        os._exit(MEMORY_EXIT_CODE)
    sys.stdout.buffer.write(output)
    sys.stdout.buffer.flush()
