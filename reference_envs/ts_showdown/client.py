"""Python side of the Showdown bridge: one Node process per `Bridge`, a `BridgePool` of them.

A bridge speaks JSON lines (see bridge.js). Every call waits at most `timeout`
seconds; a process that dies or hangs is killed and reported as an
`equiv.AdapterError` carrying its stderr. The next call starts a fresh process, but
battles held by the dead one are gone: using one raises, it is never silently
replayed into a possibly different result.
"""
from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import threading
from collections import deque
from pathlib import Path

from equiv import AdapterError

HERE = Path(__file__).resolve().parent
BRIDGE_JS = HERE / "bridge.js"
DATA_FILE = HERE / "data" / "gen1.json"
SHOWDOWN_VERSION = "0.11.11"


def missing() -> str | None:
    """None when the bridge can run; otherwise what is missing and the fix."""
    if shutil.which("node") is None:
        return "node is not on PATH; install Node.js >= 18, then run ./dev.sh setup"
    pkg = HERE / "node_modules" / "pokemon-showdown" / "package.json"
    if not pkg.is_file():
        return (f"pokemon-showdown is not installed in {HERE / 'node_modules'}; run ./dev.sh setup "
                f"(or bash reference_envs/ts_showdown/setup.sh)")
    version = json.loads(pkg.read_text()).get("version")
    if version != SHOWDOWN_VERSION:
        return (f"installed pokemon-showdown is {version}, the lock pins {SHOWDOWN_VERSION}; "
                f"run bash reference_envs/ts_showdown/setup.sh")
    if not DATA_FILE.is_file():
        return f"the gen-1 data file {DATA_FILE} is missing; run bash reference_envs/ts_showdown/setup.sh"
    return None


class BridgeError(AdapterError):
    """The bridge answered with an error (a bad request, or a tape mismatch)."""

    def __init__(self, message: str, kind: str = "", stderr: str = ""):
        super().__init__(message, adapter="ts_showdown", stderr=stderr)
        self.kind = kind


class TapeMismatch(BridgeError):
    """A replayed draw tape disagreed with the draws Showdown asked for."""


class Bridge:
    """One long-lived Node process holding many battles."""

    def __init__(self, timeout: float = 60.0, name: str = "ts_showdown"):
        self.timeout, self.name = float(timeout), name
        self.proc = None
        self.generation = 0  # bumps on every (re)start; battles belong to one generation
        self._buf = b""
        self._stderr = deque(maxlen=200)
        self._seq = 0

    # --- process management ---------------------------------------------------
    def start(self) -> None:
        problem = missing()
        if problem:
            raise AdapterError(f"ts_showdown cannot start: {problem}", adapter=self.name)
        self.proc = subprocess.Popen(["node", str(BRIDGE_JS), str(DATA_FILE)], cwd=str(HERE),
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, bufsize=0)
        self.generation += 1
        self._buf = b""
        self._stderr.clear()
        threading.Thread(target=self._drain_stderr, args=(self.proc,), daemon=True).start()

    def _drain_stderr(self, proc) -> None:
        for line in iter(proc.stderr.readline, b""):
            self._stderr.append(line.decode("utf-8", "replace").rstrip())

    def stderr_tail(self) -> str:
        return "\n".join(self._stderr)

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def close(self) -> None:
        if self.proc is not None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
            try:
                self.proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None

    def _fail(self, why: str) -> AdapterError:
        """Kill the process; return the error to raise, with its stderr."""
        proc, self.proc = self.proc, None
        code = None
        if proc is not None:
            if proc.poll() is None:
                proc.kill()
            code = proc.wait()
        tail = self.stderr_tail()
        msg = f"ts_showdown bridge (node {BRIDGE_JS.name}) {why}"
        if code is not None:
            msg += f"; process exit status {code}"
        msg += (f"; stderr: {tail}" if tail else "; stderr was empty")
        msg += ". The battles it held are lost; the next reset/set_state starts a fresh process."
        return AdapterError(msg, adapter=self.name, stderr=tail)

    # --- requests -----------------------------------------------------------------
    def send(self, msg: dict) -> None:
        if not self.alive():
            if self.proc is not None:
                raise self._fail("had exited before the request was sent")
            self.start()
        try:
            self.proc.stdin.write((json.dumps(msg, separators=(",", ":")) + "\n").encode())
        except (BrokenPipeError, OSError):
            raise self._fail("closed its input (it died)") from None

    def receive(self, timeout: float | None = None) -> dict:
        timeout = self.timeout if timeout is None else timeout
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buf:
            ready, _, _ = select.select([fd], [], [], timeout)
            if not ready:
                raise self._fail(f"did not answer within {timeout:g} s (hung)")
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                raise self._fail("exited (end of output)")
            self._buf += chunk
        line, _, self._buf = self._buf.partition(b"\n")
        reply = json.loads(line)
        if "error" in reply:
            cls = TapeMismatch if reply.get("kind") == "tape_mismatch" else BridgeError
            raise cls(f"ts_showdown: {reply['error']}", kind=reply.get("kind", ""))
        return reply

    def call(self, msg: dict, timeout: float | None = None) -> dict:
        self.send(msg)
        return self.receive(timeout)


class BridgePool:
    """Several bridges; battles are spread over them and stepped concurrently."""

    def __init__(self, processes: int = 1, timeout: float = 60.0):
        if processes < 1:
            raise ValueError(f"processes={processes}: a pool needs at least one process")
        self.bridges = [Bridge(timeout) for _ in range(processes)]

    def __len__(self) -> int:
        return len(self.bridges)

    def __getitem__(self, i: int) -> Bridge:
        return self.bridges[i]

    def scatter(self, requests: list[tuple[int, dict]]) -> list[dict]:
        """Send each (bridge index, message); gather the replies in order.

        Each bridge gets its messages in order, so bridges work in parallel while
        Python waits for the first reply.
        """
        sent, first_error = [], None
        for i, msg in requests:
            try:
                self.bridges[i].send(msg)
                sent.append(i)
            except AdapterError as e:
                first_error = first_error or e
                sent.append(None)
        replies = []
        for i in sent:  # read every reply, even after an error, so no bridge is left out of step
            if i is None:
                replies.append(None)
                continue
            try:
                replies.append(self.bridges[i].receive() if self.bridges[i].alive() else None)
            except AdapterError as e:
                first_error = first_error or e
                replies.append(None)
        if first_error is not None:
            raise first_error
        return replies

    def close(self) -> None:
        for b in self.bridges:
            b.close()
