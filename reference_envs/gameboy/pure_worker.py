"""Worker process: one pure-Python PyBoy (see pure.py), driven over stdin/stdout.

Messages are length-prefixed pickles `(op, args)`; replies `(ok, value)`. Run only
through pure.PureWorker, with the pure copy first on PYTHONPATH.
"""
from __future__ import annotations

import io
import pickle
import struct
import sys
import traceback

import pyboy
from pyboy import PyBoy
from pyboy.utils import INTR_SERIAL, INTR_TIMER, WindowEvent

from reference_envs.gameboy.buttons import BUTTONS
from reference_envs.gameboy.savestate import Layout

if any(str(f).endswith(".so") for f in [getattr(pyboy, "__file__", "")]):
    raise SystemExit("pure_worker imported the compiled pyboy; put the pure copy first on PYTHONPATH")

PRESS = {n: getattr(WindowEvent, e) for n, e in [
    ("right", "PRESS_ARROW_RIGHT"), ("left", "PRESS_ARROW_LEFT"), ("up", "PRESS_ARROW_UP"),
    ("down", "PRESS_ARROW_DOWN"), ("a", "PRESS_BUTTON_A"), ("b", "PRESS_BUTTON_B"),
    ("select", "PRESS_BUTTON_SELECT"), ("start", "PRESS_BUTTON_START")]}
RELEASE = {n: getattr(WindowEvent, e.replace("PRESS", "RELEASE")) for n, e in [
    ("right", "PRESS_ARROW_RIGHT"), ("left", "PRESS_ARROW_LEFT"), ("up", "PRESS_ARROW_UP"),
    ("down", "PRESS_ARROW_DOWN"), ("a", "PRESS_BUTTON_A"), ("b", "PRESS_BUTTON_B"),
    ("select", "PRESS_BUTTON_SELECT"), ("start", "PRESS_BUTTON_START")]}


class Machine:
    def __init__(self, rom: bytes, boot: bytes, sound_emulated: bool):
        import tempfile
        self.boot_file = tempfile.NamedTemporaryFile(suffix=".bin", delete=False)
        self.boot_file.write(boot)
        self.boot_file.close()
        self.rom = rom
        self.p = PyBoy(io.BytesIO(rom), window="null", bootrom=self.boot_file.name, cgb=False,
                       sound_emulated=sound_emulated, log_level="ERROR")
        self.p.set_emulation_speed(0)
        self.power_on = self._save()
        self.layout = Layout(self.power_on, rom[:0x150])

    def _save(self) -> bytes:
        f = io.BytesIO()
        self.p.save_state(f)
        return f.getvalue()

    def _held(self) -> int:
        i = self.p.mb.interaction
        lines = (i.directional & 0xF) | (i.standard & 0xF) << 4
        return ~lines & 0xFF

    # --- ops ---------------------------------------------------------------
    def reset(self):
        self.p.load_state(io.BytesIO(self.power_on))
        self.p._serial()

    def get_state(self):
        return self.layout.read(self._save())

    def set_state(self, state):
        self.p.load_state(io.BytesIO(self.layout.write(self._save(), state)))

    def buttons(self, mask: int, immediate: bool):
        """Press/release to reach `mask`; immediate: apply now (instruction stepping),
        else queue for the next tick as the compiled adapter does."""
        held = self._held()
        for bit, name in enumerate(BUTTONS):
            want, have = mask >> bit & 1, held >> bit & 1
            if want != have:
                if immediate:
                    self.p.mb.buttonevent(PRESS[name] if want else RELEASE[name])
                elif want:
                    self.p.button_press(name)
                else:
                    self.p.button_release(name)

    def step(self, mask: int) -> int:
        """One instruction (or one interrupt dispatch, or one halted fast-forward), as
        Motherboard.tick does it with PyBoy's single-step target; returns T-cycles."""
        self.buttons(mask, immediate=True)
        mb = self.p.mb
        cpu, lcd = mb.cpu, mb.lcd
        if lcd.frame_done:
            lcd.frame_done = False
            mb.sound.clear_buffer()
        before = cpu.cycles
        target = 4 if not cpu.halted else max(4, min(mb.timer._cycles_to_interrupt, lcd._cycles_to_interrupt,
                                                      lcd._cycles_to_frame, mb.sound._cycles_to_interrupt,
                                                      mb.serial._cycles_to_interrupt))
        cpu.tick(target)
        if mb.oam_dma_active and not mb.oam_dma_reading:
            mb.sync_oam_dma(0)
        mb.sound.tick(cpu.cycles)
        if mb.serial.tick(cpu.cycles):
            cpu.set_interruptflag(INTR_SERIAL)
        if mb.timer.tick(cpu.cycles):
            cpu.set_interruptflag(INTR_TIMER)
        flag = lcd.tick(cpu.cycles)
        if flag:
            cpu.set_interruptflag(flag)
        return cpu.cycles - before

    def frame(self, mask: int, render: bool = True):
        self.buttons(mask, immediate=False)
        self.p.tick(1, render, False)

    def trace(self, mask: int, render: bool = True, limit: int = 200_000):
        """Run one frame exactly as `frame` does, logging the machine before every
        instruction PyBoy executes (its real batched behaviour)."""
        from pyboy.core import cpu as cpu_module
        rows = []
        original = cpu_module.CPU.fetch_and_execute

        def logged(cpu):
            if len(rows) < limit:
                rows.append(self._row())
            return original(cpu)

        cpu_module.CPU.fetch_and_execute = logged
        try:
            self.frame(mask, render)
        finally:
            cpu_module.CPU.fetch_and_execute = original
        return rows

    def _row(self):
        mb = self.p.mb
        cpu = mb.cpu
        pc = cpu.PC
        return (pc, cpu.A, cpu.F, cpu.B, cpu.C, cpu.D, cpu.E, cpu.HL >> 8, cpu.HL & 0xFF, cpu.SP,
                int(cpu.interrupt_master_enable), cpu.interrupts_flag_register,
                cpu.interrupts_enabled_register, int(cpu.halted), mb.lcd.LY, mb.timer.DIV, cpu.cycles,
                tuple(mb.getitem((pc + k) & 0xFFFF) for k in range(4)))

    def trace_step(self, mask: int):
        row = self._row()
        self.step(mask)
        return [row]

    def peek(self, addr: int) -> int:
        return self.p.mb.getitem(addr & 0xFFFF)

    def serial(self) -> bytes:
        out = self.p._serial()
        return out.encode("latin-1") if isinstance(out, str) else bytes(out)

    def screen(self):
        return self.p.screen.ndarray.copy()


def main():
    machine = None
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        head = stdin.read(4)
        if len(head) < 4:
            return
        op, args = pickle.loads(stdin.read(struct.unpack("<I", head)[0]))
        try:
            if op == "open":
                machine = Machine(*args)
                value = None
            else:
                value = getattr(machine, op)(*args)
            reply = (True, value)
        except Exception:  # noqa: BLE001 - reported to the client with the traceback
            reply = (False, traceback.format_exc())
        data = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
        stdout.write(struct.pack("<I", len(data)) + data)
        stdout.flush()


if __name__ == "__main__":
    main()
