"""The gameboy family's port: EmuRust, our Rust DMG emulator (rust/, pyo3 module `emurust`).

State crosses the boundary as the family's canonical fields
(suites/gameboy/state.py): `Emulator.state_fields()` returns them as a dict
of ints / bytes and `Emulator.load_state_fields(dict)` injects them.
"""
from __future__ import annotations

import numpy as np

from adapters._gameboy import PRIME_FRAMES, SOUND_EMULATED, GameBoyAdapter, corpus_problem
from suites.gameboy.state import SPEC

NEEDED = ("step", "run_frames", "set_buttons", "peek", "framebuffer", "serial_output",
          "state_fields", "load_state_fields", "cpu_state")


class EmuRust(GameBoyAdapter):
    role = "ported"
    requires = ("emurust",)

    @classmethod
    def missing(cls) -> str | None:
        problem = super().missing()
        if problem:
            return "the emurust wheel is not installed; run ./dev.sh setup (it runs rust/setup.sh)"
        import emurust
        absent = [m for m in NEEDED if not hasattr(emurust.Emulator, m)]
        if absent:
            return (f"the installed emurust.Emulator lacks {absent} (the gameboy adapter needs them); "
                    f"rebuild with ./dev.sh setup, or add them in rust/src/python.rs")
        return corpus_problem()

    def __init__(self, **config):
        super().__init__(**config)
        import emurust
        self._emurust = emurust
        self.emu = None

    def _power_on(self):
        # A fresh machine is power-on by construction (no state can leak between episodes).
        self.emu = self._emurust.Emulator(self.rom, self.boot, sound_emulated=SOUND_EMULATED)

    def _ensure(self):
        if self.emu is None:
            self._power_on()

    def _run_frames(self, mask, n, render=True):
        self.emu.set_buttons(mask)
        self.emu.run_frames(n, render)

    def _run_instruction(self, mask):
        self.emu.set_buttons(mask)
        self.emu.step()

    def _peek(self, addr):
        return int(self.emu.peek(addr))

    def _screen_rgba(self):
        return self.emu.framebuffer()

    def _serial_new(self):
        self._ensure()
        return bytes(self.emu.serial_output())

    def _get_machine(self) -> dict:
        self._ensure()
        raw = self.emu.state_fields()
        out = {}
        for name, (dtype, shape) in SPEC.items():
            v = raw[name]
            if shape:
                arr = np.frombuffer(bytes(v), np.uint8) if isinstance(v, (bytes, bytearray)) else np.asarray(v)
                out[name] = arr.view(dtype).reshape(shape) if arr.dtype == np.uint8 and dtype != np.uint8 \
                    else arr.astype(dtype).reshape(shape)
            else:
                out[name] = dtype.type(int(v))
        return out

    def _set_machine(self, state) -> None:
        if self.mode == "frame":
            self._power_on()  # see env.PRIME_FRAMES (the pure PyBoy of instruction mode keeps its machine)
            self.emu.run_frames(PRIME_FRAMES, True)
        else:
            self._ensure()
        fields = {}
        for name, (dtype, shape) in SPEC.items():
            v = np.asarray(state[name], dtype)
            fields[name] = np.ascontiguousarray(v).tobytes() if shape else int(v)
        self.emu.load_state_fields(fields)

    def provenance(self) -> dict:
        from importlib.metadata import version
        try:
            v = version("emurust")
        except Exception:  # noqa: BLE001 - built in place without metadata
            v = "unknown"
        return self._provenance("emurust", v)

    def instruction_rows(self, state, mask: int, n: int) -> list:
        """Rows (see reference_envs/gameboy/trace.py) for up to ``n`` executed instructions
        from ``state``, stepping one instruction at a time; interrupt dispatches and halted
        fast-forwards are folded away so rows line up with PyBoy's instruction log."""
        self.set_state(state)
        self.emu.set_buttons(mask)
        rows = []
        for _ in range(4 * n + 16):
            if len(rows) >= n:
                break
            c = self.emu.cpu_state()
            row = (c["pc"], c["a"], c["f"], c["b"], c["c"], c["d"], c["e"], c["h"], c["l"], c["sp"],
                   int(c["ime"]), c["interrupt_flag"], c["interrupt_enable"], int(c["halted"]),
                   self.emu.peek(0xFF44), self.emu.peek(0xFF04), int(c["cycles"]),
                   tuple(self.emu.peek((c["pc"] + k) & 0xFFFF) for k in range(4)))
            self.emu.step()
            after = self.emu.cpu_state()
            dispatched = c["ime"] and not after["ime"] and after["pc"] in (0x40, 0x48, 0x50, 0x58, 0x60) \
                and after["sp"] == (c["sp"] - 2) & 0xFFFF and row[17][0] not in (0xF3,)
            if not c["halted"] and not dispatched:
                rows.append(row)
        return rows
