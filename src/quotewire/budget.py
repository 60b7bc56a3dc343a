"""A hard time budget for one piece of work (one article's parse and extraction).

An alarm signal interrupts the work where it stands, in the main thread of a process (the
CLI, and each pool worker), so one pathological article costs at most the budget and the run
goes on. Where no alarm can be set (another thread, no SIGALRM) the work runs unbounded.
"""
from __future__ import annotations

import contextlib
import signal
import threading
from typing import Iterator


class OverBudget(Exception):
    """The work took longer than its budget."""


@contextlib.contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _over(signum, frame):  # noqa: ARG001
        raise OverBudget(f"over the budget of {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, _over)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
