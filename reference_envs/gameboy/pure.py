"""PyBoy, single instruction at a time: a pure-Python copy of the installed package in a
worker process.

Why this way (and not hooks): the compiled build only advances whole frames, and
its hooks (a) cannot fire in HRAM/IO or on HALT, (b) show opcode $DB in memory at
hooked addresses and (c) still hide IME, the EI delay, HALT and the cycle counter.
The installed wheel ships the `.py` source of every Cython module; a copy without
the `.so` files runs as plain Python, exposes every internal and behaves identically
(its save states and screens match the compiled build, see tests/gameboy). It is
~300x slower than compiled PyBoy, so it is used only where one instruction matters:
L1 single-instruction properties and the instruction-level bisection of a frame.

The copy is made from the installed, pinned package into an ignored cache folder
(`.equiv-cache/gameboy/`) by reference_envs/gameboy/setup.sh or on first use; it is
never committed (PyBoy is LGPL). Compiled and pure PyBoy cannot share one process
(both are the package `pyboy`), hence the worker.
"""
from __future__ import annotations

import os
import pickle
import shutil
import struct
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".equiv-cache" / "gameboy"
PINNED = "2.8.1"


def installed_pyboy() -> Path:
    import importlib.util
    spec = importlib.util.find_spec("pyboy")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("pyboy is not installed; run ./dev.sh setup")
    return Path(list(spec.submodule_search_locations)[0])


def pure_copy_dir() -> Path:
    return CACHE / f"pyboy-pure-{PINNED}"


def ensure_pure_copy(verbose: bool = False) -> Path:
    """Create (once) the pure-Python copy of the installed pyboy; return the folder to put on sys.path."""
    from importlib.metadata import version
    have = version("pyboy")
    if have != PINNED:
        raise RuntimeError(f"pyboy {have} is installed, the gameboy family pins {PINNED}; run ./dev.sh setup")
    target = pure_copy_dir()
    stamp = target / "COPIED"
    if stamp.is_file():
        return target
    src = installed_pyboy()
    tmp = target.with_name(target.name + f".tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(src, tmp / "pyboy",
                    ignore=shutil.ignore_patterns("*.so", "*.c", "__pycache__", "*.pyd"))
    (tmp / "COPIED").write_text(f"pure-Python copy of pyboy {have} from {src}\n")
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)
    if verbose:
        print(f"made pure-Python pyboy copy in {target}")
    return target


class WorkerError(RuntimeError):
    pass


class PureWorker:
    """Client for pure_worker.py: one pure-Python PyBoy in a child process."""

    def __init__(self, rom: bytes, boot: bytes):
        path = ensure_pure_copy()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(path), str(ROOT)])
        self.proc = subprocess.Popen([sys.executable, "-m", "reference_envs.gameboy.pure_worker"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, cwd=str(ROOT))
        from suites.gameboy.state import SOUND_EMULATED
        self.call("open", rom, boot, SOUND_EMULATED)

    def call(self, op: str, *args):
        if self.proc.poll() is not None:
            raise WorkerError(f"pure PyBoy worker exited with code {self.proc.returncode}")
        data = pickle.dumps((op, args), protocol=pickle.HIGHEST_PROTOCOL)
        self.proc.stdin.write(struct.pack("<I", len(data)) + data)
        self.proc.stdin.flush()
        head = self.proc.stdout.read(4)
        if len(head) < 4:
            raise WorkerError(f"pure PyBoy worker died during {op!r} (exit code {self.proc.wait()})")
        ok, value = pickle.loads(self.proc.stdout.read(struct.unpack("<I", head)[0]))
        if not ok:
            raise WorkerError(f"pure PyBoy worker failed in {op!r}:\n{value}")
        return value

    def close(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=5)
            except Exception:  # noqa: BLE001 - best effort; kill below
                self.proc.kill()
