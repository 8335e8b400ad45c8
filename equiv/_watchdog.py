"""A deadline on every adapter call, so a hung port becomes an ERROR instead of a hung gate.

The call runs in the main thread as always; a real-time timer interrupts it when it overruns
(SIGALRM, whose handler raises at the next Python instruction or interrupted system call),
and the call ends as a ``CallTimeout`` naming the side, the method and the step reached. The
pair then drops that variant's adapters (their state is suspect) and goes on with the next item.

A call stuck inside native code that never returns to Python (an XLA kernel looping, a C
extension spinning) cannot be interrupted in-process. After a grace period the watchdog's
thread says which call is stuck, lets the plugin record it and write every report, and ends
the process with exit status 3: the reports keep everything done so far.
"""
from __future__ import annotations

import os
import signal
import threading
from contextlib import contextmanager

from equiv._errors import AdapterError

NATIVE_GRACE = 30.0  # at most this long past the deadline before a call stuck in native code ends the run
EXIT_STUCK = 3


class CallTimeout(AdapterError):
    """An adapter call ran past its deadline."""


class Watchdog:
    def __init__(self, seconds: float | None, on_stuck=None):
        self.seconds = seconds
        self.on_stuck = on_stuck  # on_stuck(message): record it and write the reports, before the exit
        self._active = None

    @property
    def usable(self) -> bool:
        return (self.seconds is not None and self.seconds > 0 and hasattr(signal, "SIGALRM")
                and threading.current_thread() is threading.main_thread())

    @contextmanager
    def call(self, who: str, where=lambda: "", side: str = "", adapter: str = ""):
        """Bound one call; ``where()`` says how far it got (evaluated when it overruns)."""
        if not self.usable or self._active is not None:  # nested: the outer call's deadline holds
            yield
            return
        seconds = float(self.seconds)

        def overran(signum, frame):
            raise CallTimeout(f"{who} did not return within {seconds:g} s{where()}; it is treated as hung "
                              f"and its adapters are rebuilt for the next item (raise the limit with "
                              f"--equiv-timeout SECONDS if the call is merely slow)", side=side, adapter=adapter)

        previous = signal.signal(signal.SIGALRM, overran)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        grace = min(NATIVE_GRACE, seconds)
        stuck = threading.Timer(seconds + grace, self._stuck, args=(who, seconds + grace, where))
        stuck.daemon = True
        self._active = who
        stuck.start()
        try:
            yield
        finally:
            stuck.cancel()
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            self._active = None

    def _stuck(self, who, seconds, where):
        message = (f"{who} has not returned {seconds:g} s after it started{where()}, and "
                   f"could not be interrupted: it is stuck in native code. The reports are written with "
                   f"this item as an ERROR and the run ends here (exit status {EXIT_STUCK}).")
        os.write(2, f"\nequiv: {message}\n".encode())  # past any capture: the process is about to end
        try:
            if self.on_stuck is not None:
                self.on_stuck(message)
        finally:
            os._exit(EXIT_STUCK)
