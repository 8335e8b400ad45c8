"""The gameboy family's reference: PyBoy 2.8.1 (pinned), headless, DMG, sound not emulated.

Frame mode runs the compiled build in-process (``tick``). Instruction mode runs a
pure-Python copy of the same package in a worker process (reference_envs/gameboy/pure.py
says why). Either way the state goes in and out through PyBoy's own save state,
decoded by reference_envs/gameboy/savestate.py.
"""
from __future__ import annotations

import io
import os
import tempfile

import numpy as np

from reference_envs.gameboy.buttons import BUTTONS
from adapters._gameboy import PRIME_FRAMES, SOUND_EMULATED, GameBoyAdapter, corpus_problem
from reference_envs.gameboy.savestate import Layout

PINNED = "2.8.1"


def _held_from(state) -> int:
    lines = (int(state["joy_directional"]) & 0xF) | (int(state["joy_standard"]) & 0xF) << 4
    return ~lines & 0xFF


class _Compiled:
    """Compiled PyBoy in this process (frame mode)."""

    def __init__(self, rom: bytes, boot: bytes):
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from pyboy import PyBoy
        fd, self.boot_path = tempfile.mkstemp(suffix=".bin", prefix="equiv-boot-")
        with os.fdopen(fd, "wb") as f:
            f.write(boot)
        self._rom, self._pyboy_cls = rom, PyBoy
        self.p = self._power_on()
        self.power_on = self.save()
        self.layout = Layout(self.power_on, rom[:0x150])
        self.held = 0

    def _power_on(self):
        p = self._pyboy_cls(io.BytesIO(self._rom), window="null", bootrom=self.boot_path, cgb=False,
                            sound_emulated=SOUND_EMULATED, log_level="ERROR")
        p.set_emulation_speed(0)
        return p

    def save(self) -> bytes:
        f = io.BytesIO()
        self.p.save_state(f)
        return f.getvalue()

    def load(self, data: bytes):
        self.p.load_state(io.BytesIO(data))

    def reset(self):
        # A new PyBoy, not load_state(power_on): the renderer's window line counter is not in
        # PyBoy's save state, so loading one keeps whatever the last episode left there.
        self.p.stop(save=False)
        self.p = self._power_on()
        self.held = 0

    def get_state(self) -> dict:
        return self.layout.read(self.save())

    def set_state(self, state: dict):
        self.p.stop(save=False)
        self.p = self._power_on()  # see env.PRIME_FRAMES
        self.p.tick(PRIME_FRAMES, True, False)
        self.load(self.layout.write(self.save(), state))
        self.held = _held_from(state)

    def frames(self, mask: int, n: int, render: bool = True):
        for bit, name in enumerate(BUTTONS):
            want = mask >> bit & 1
            if want != (self.held >> bit & 1):
                (self.p.button_press if want else self.p.button_release)(name)
        self.held = mask
        self.p.tick(n, render, False)

    def peek(self, addr: int) -> int:
        return int(self.p.memory[addr])

    def screen(self) -> np.ndarray:
        return self.p.screen.ndarray

    def serial(self) -> bytes:
        out = self.p._serial()
        return out.encode("latin-1") if isinstance(out, str) else bytes(out)

    def close(self):
        self.p.stop(save=False)
        os.unlink(self.boot_path)


class _Pure:
    """Pure-Python PyBoy in a worker process (instruction mode)."""

    def __init__(self, rom: bytes, boot: bytes):
        from reference_envs.gameboy.pure import PureWorker
        self.w = PureWorker(rom, boot)
        self._screen = None

    def reset(self):
        self.w.call("reset")
        self._screen = None

    def get_state(self) -> dict:
        return self.w.call("get_state")

    def set_state(self, state: dict):
        self.w.call("set_state", {k: np.asarray(v) for k, v in state.items()})
        self._screen = None

    def instruction(self, mask: int):
        self.w.call("step", mask)
        self._screen = None

    def frames(self, mask: int, n: int, render: bool = True):
        for _ in range(n):
            self.w.call("frame", mask, render)
        self._screen = None

    def peek(self, addr: int) -> int:
        return self.w.call("peek", addr)

    def screen(self) -> np.ndarray:
        if self._screen is None:
            self._screen = self.w.call("screen")
        return self._screen

    def serial(self) -> bytes:
        return self.w.call("serial")

    def close(self):
        self.w.close()


class PyBoyAdapter(GameBoyAdapter):
    role = "reference"
    requires = ("pyboy",)

    @classmethod
    def missing(cls) -> str | None:
        problem = super().missing()
        if problem:
            return problem
        from importlib.metadata import version
        if version("pyboy") != PINNED:
            return f"pyboy {version('pyboy')} is installed but the gameboy family pins {PINNED}; run ./dev.sh setup"
        return corpus_problem()

    def __init__(self, **config):
        super().__init__(**config)
        self.backend = (_Pure if self.mode == "instruction" else _Compiled)(self.rom, self.boot)

    def _power_on(self):
        self.backend.reset()

    def _run_frames(self, mask, n, render=True):
        self.backend.frames(mask, n, render=render)

    def _run_instruction(self, mask):
        self.backend.instruction(mask)

    def _peek(self, addr):
        return self.backend.peek(addr)

    def _screen_rgba(self):
        return self.backend.screen()

    def _serial_new(self):
        return self.backend.serial()

    def _get_machine(self) -> dict:
        return self.backend.get_state()

    def _set_machine(self, state) -> None:
        self.backend.set_state(state)

    def provenance(self) -> dict:
        return self._provenance("pyboy", PINNED + (" (pure Python copy)" if self.mode == "instruction" else ""))

    def close(self):
        self.backend.close()

    def instruction_trace(self, start, actions) -> list:
        """Per-instruction log of the last action's step, replayed from ``start`` (a seed
        or a state) in the pure-Python copy: PyBoy's real batched behaviour (used by the
        suite's bisection)."""
        from reference_envs.gameboy.trace import pure_trace
        return pure_trace(self, start, actions)
