"""Worker processes that die with the process that started them.

A worker of ``ingest --processes N`` holds a spaCy model (150-450 MB); if the parent is
killed (SIGTERM, SIGKILL, OOM killer) nothing would ever end the workers. On Linux each worker
asks the kernel for SIGKILL when its parent dies (``prctl(PR_SET_PDEATHSIG)``, through ctypes),
which holds even for a SIGKILL of the parent; elsewhere a daemon thread in the worker polls its
parent id. The parent may have died between fork and prctl, so the worker checks once itself.
"""
from __future__ import annotations

import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable

_PR_SET_PDEATHSIG = 1  # linux/prctl.h
#: seconds between two looks at the parent id where the kernel cannot watch for us
PARENT_POLL_SECONDS = 1.0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True  # alive (a PermissionError means alive too, under another user)


def _die_with(parent: int) -> None:
    """Make this process end when ``parent`` ends."""
    direct = os.getppid() == parent  # not so under a fork server, or if the parent already died
    if direct and sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent:  # the parent died before the kernel was told
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass  # no usable libc: fall back to watching

    def watch() -> None:
        while (os.getppid() == parent) if direct else _alive(parent):
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="quotewire-parent-watch", daemon=True).start()


def _start(parent: int, initializer: Callable[..., Any] | None, initargs: tuple) -> None:
    _die_with(parent)
    if initializer is not None:
        initializer(*initargs)


def pool(processes: int, initializer: Callable[..., Any] | None = None, initargs: tuple = ()) -> ProcessPoolExecutor:
    """A process pool whose workers end when this process ends, however it ends.

    The kernel ties a worker to the thread that forked it; ProcessPoolExecutor forks all its
    workers from the submitting thread (fork start method), which is the caller's.
    """
    return ProcessPoolExecutor(processes, initializer=_start, initargs=(os.getpid(), initializer, initargs))
