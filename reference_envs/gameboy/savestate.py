"""Canonical state <-> PyBoy 2.8.1 save-state bytes (DMG, STATE_VERSION 29).

PyBoy's compiled build hides IME, HALT, the cycle counter and the timer/PPU
internals from its API; its save state holds all of them. `Layout` walks the
byte layout of one save state (section sizes depend on the sound sample rate and
the cartridge type) and maps each canonical field to its bytes, so reading and
writing a state are numpy slices rather than per-byte loops.

Sections we do not model (sound, SGB, PyBoy's raw I/O storage) are carried over
from a template save state of the same emulator when writing.
"""
from __future__ import annotations

import numpy as np

from suites.gameboy.state import MACHINE_FIELDS, SPEC

STATE_VERSION = 29
SCREEN = np.dtype([("rgba", "<u4"), ("attr", "u1")])
MBC1_TYPES, MBC5_TYPES = {0x01, 0x02, 0x03}, {0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E}
RUMBLE_TYPES = {0x1C, 0x1D, 0x1E}
RAM_BANKS = {0: 1, 1: 1, 2: 1, 3: 4}  # PyBoy's EXTERNAL_RAM_TABLE (it allocates a bank even for none)


class LayoutError(ValueError):
    pass


class Layout:
    """Offsets of every canonical field inside a save state for one ROM."""

    def __init__(self, sample: bytes, rom_header: bytes):
        if sample[0] != STATE_VERSION:
            raise LayoutError(f"save state version {sample[0]}, this codec reads {STATE_VERSION} "
                              f"(PyBoy 2.8.1); install the pinned pyboy==2.8.1")
        if sample[5]:
            raise LayoutError("CGB save state; the gameboy family is DMG only (pass cgb=False)")
        cart_type, ram_size = rom_header[0x147], rom_header[0x149]
        if ram_size not in RAM_BANKS:
            raise LayoutError(f"cartridge RAM size code {ram_size:#x} is not supported (use 0..3)")
        self.ram_banks = RAM_BANKS[ram_size]
        self.at: dict[str, tuple[int, str]] = {}  # name -> (offset, kind)
        o = 1
        o = self._put(o, [("boot_rom", 1)])
        o += 4  # key0, key1, double_speed, cgb
        o = self._put(o, [(r, 1) for r in "afbcde"])
        self.at["l"], self.at["h"] = (o, "u1"), (o + 1, "u1")
        o += 2
        o = self._put(o, [("sp", 2), ("pc", 2), ("ime", 1), ("ime_delay", 1), ("halted", 1),
                          ("stopped", 1), ("ie", 1), ("int_queued", 1), ("if_", 1), ("cycles", 8),
                          ("dma_active", 1), ("dma_reading", 1), ("dma_source", 1), ("dma_index", 1),
                          ("dma_start_cycle", 8), ("vram", 8192), ("oam", 160), ("lcdc", 1), ("bgp", 1),
                          ("obp0", 1), ("obp1", 1), ("stat", 1), ("ly", 1), ("lyc", 1), ("scy", 1),
                          ("scx", 1), ("wy", 1), ("wx", 1)])
        o += 1  # object_priority_mode (CGB)
        o += 720  # per-line render latches (PyBoy draws the frame at its end); kept from the template
        o += 3  # cgb, downgraded_to_dmg, speed_shift
        o = self._put(o, [("lcd_frame_done", 1), ("lcd_first_frame", 1), ("lcd_reset", 1),
                          ("lcd_last_cycles", 8), ("lcd_clock", 8), ("lcd_clock_target", 8),
                          ("lcd_next_stat_mode", 1), ("lcd_stat_transition", 1)])
        self.sound_at = o
        samples_per_frame = int.from_bytes(sample[o + 8:o + 16], "little")
        o += 24 + (samples_per_frame + 1) * 2 + 69 + 105 + 60 + 74 + 90
        self.sound_end = o
        self.at["screen"] = (o, "screen")
        o += 144 * 160 * 5
        o = self._put(o, [("wy_activated", 1), ("wram", 8192), ("unusable", 96), ("p1", 1)])
        o += 0x4C - 1  # the rest of PyBoy's raw I/O storage (write-only, never read back)
        o = self._put(o, [("hram", 127)])
        o += 1  # wram_select (CGB)
        o = self._put(o, [("div", 1), ("tima", 1), ("div_counter", 2), ("tima_counter", 2), ("tma", 1),
                          ("tac", 1), ("tima_reload_state", 1), ("timer_last_cycles", 8),
                          ("timer_cycles_to_interrupt", 8), ("rom_bank", 1), ("ram_bank", 1),
                          ("ram_enabled", 1), ("mbc_mode", 1)])
        self.at["cart_ram"] = (o, "cart_ram")
        o += self.ram_banks * 8192
        extra = 2 if cart_type in MBC1_TYPES else (1 + (cart_type in RUMBLE_TYPES)) if cart_type in MBC5_TYPES else 0
        self.at["mbc_regs"] = (o, f"regs{extra}")
        o += extra
        o = self._put(o, [("joy_directional", 1), ("joy_standard", 1), ("sb", 1), ("sc", 1),
                          ("serial_transfer", 1), ("serial_internal_clock", 1), ("serial_last_cycles", 8),
                          ("serial_cycles_to_interrupt", 8), ("serial_clock", 8), ("serial_clock_target", 8)])
        self.sgb_at = o
        missing = set(SPEC) - set(self.at)
        if missing:
            raise LayoutError(f"layout does not place {sorted(missing)}")
        if o > len(sample):
            raise LayoutError(f"save state is {len(sample)} bytes, layout needs {o}; not a PyBoy 2.8.1 DMG state")

    def _put(self, o: int, items) -> int:
        for name, size in items:
            self.at[name] = (o, "raw")
            o += size
        return o

    def read(self, buf: bytes) -> dict:
        out = {}
        for name, (dtype, shape) in SPEC.items():
            o, kind = self.at[name]
            if kind == "screen":
                out[name] = np.frombuffer(buf, SCREEN, 144 * 160, o)["rgba"].reshape(144, 160).copy()
            elif kind == "cart_ram":
                ram = np.zeros(32768, np.uint8)
                ram[:self.ram_banks * 8192] = np.frombuffer(buf, np.uint8, self.ram_banks * 8192, o)
                out[name] = ram
            elif kind.startswith("regs"):
                regs = np.zeros(2, np.uint8)
                n = int(kind[4:])
                regs[:n] = np.frombuffer(buf, np.uint8, n, o)
                out[name] = regs
            else:
                count = int(np.prod(shape)) if shape else 1
                v = np.frombuffer(buf, dtype.newbyteorder("<"), count, o).astype(dtype)
                out[name] = v.reshape(shape) if shape else v[0]
        return out

    def write(self, template: bytes, state: dict) -> bytes:
        buf = bytearray(template)
        for name, (dtype, shape) in SPEC.items():
            o, kind = self.at[name]
            v = np.asarray(state[name], dtype)
            if kind == "screen":
                view = np.frombuffer(buf, SCREEN, 144 * 160, o).copy()
                view["rgba"] = v.reshape(-1)
                buf[o:o + view.nbytes] = view.tobytes()
            elif kind == "cart_ram":
                n = self.ram_banks * 8192
                if np.any(v[n:]):
                    raise ValueError(f"cart_ram has data past the {n} bytes this cartridge has")
                buf[o:o + n] = v[:n].tobytes()
            elif kind.startswith("regs"):
                n = int(kind[4:])
                buf[o:o + n] = v[:n].tobytes()
            else:
                data = v.astype(dtype.newbyteorder("<")).tobytes()
                buf[o:o + len(data)] = data
        return bytes(buf)


FIELD_NAMES = [f[0] for f in MACHINE_FIELDS]
