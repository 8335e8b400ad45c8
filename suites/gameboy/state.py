"""The gameboy family's contract: the canonical state (every piece of DMG emulator state that
decides what happens next, named by component, in the terms of the reference, PyBoy 2.8.1) and
the settings both sides must run with.

Both adapters convert to and from this form; the suite's schema is built from it, and
EmuRust (which imports nothing of Python) is checked against it field by field. Fields are
grouped by what they model; the groups double as the memory-region hashes used in per-frame
trace comparison.
Left out, with reasons (also in suites/gameboy/ledger.yaml): the APU (sound), CGB-only
registers, the SGB border, PyBoy's write-only storage behind unmapped I/O addresses and
its per-line render latches (an implementation detail of drawing the frame at its end;
their effect is the framebuffer, which is compared).
"""
from __future__ import annotations

import numpy as np

# Both sides run without sound emulation: EmuRust does not emulate the sound channels,
# and with it off PyBoy reads FF10-FF3F as 0 and leaves the APU out of its CPU batches.
# PyBoy (compiled and pure copy) and EmuRust must all get this same value.
SOUND_EMULATED = False
# PyBoy's renderer keeps a window line counter that is not in its save state (so not in the
# canonical state either): fresh, it is 0; line 143 of a rendered frame sets it to -1. In frame
# mode every episode therefore starts with this many rendered frames after power-on (the boot
# ROM's hand-off; the counter is -1 from then on at step boundaries), and set_state loads the
# state into a machine powered on and run the same way, on both sides, so an injected state
# never inherits the counter of an earlier episode.
PRIME_FRAMES = 2

# (name, dtype, shape, doc)
FIELDS = [
    ("boot_rom", "uint8", (), "1 while the boot ROM is mapped at $0000-$00FF"),
    # CPU
    *[(r, "uint8", (), f"register {r.upper()}") for r in "afbcdehl"],
    ("sp", "uint16", (), "stack pointer"),
    ("pc", "uint16", (), "program counter (PyBoy: stays on HALT while halted)"),
    ("ime", "uint8", (), "interrupt master enable"),
    ("ime_delay", "uint8", (), "EI delay counter (PyBoy interrupt_enable_delay)"),
    ("halted", "uint8", (), "CPU halted"),
    ("stopped", "uint8", (), "CPU stopped"),
    ("ie", "uint8", (), "interrupt enable ($FFFF)"),
    ("int_queued", "uint8", (), "an interrupt was seen at the last check (PyBoy interrupt_queued)"),
    ("if_", "uint8", (), "interrupt flags, raw (the bus reads it OR $E0)"),
    ("cycles", "uint64", (), "T-cycles since power-on"),
    # OAM DMA
    ("dma_active", "uint8", (), "OAM DMA in progress"),
    ("dma_reading", "uint8", (), "OAM DMA read in progress"),
    ("dma_source", "uint8", (), "last value written to $FF46"),
    ("dma_index", "uint8", (), "next OAM byte the DMA copies"),
    ("dma_start_cycle", "uint64", (), "cycle the DMA started"),
    # PPU
    ("vram", "uint8", (8192,), "video RAM $8000-$9FFF"),
    ("oam", "uint8", (160,), "object attribute memory $FE00-$FE9F"),
    ("lcdc", "uint8", (), "$FF40"),
    ("bgp", "uint8", (), "$FF47"),
    ("obp0", "uint8", (), "$FF48"),
    ("obp1", "uint8", (), "$FF49"),
    ("stat", "uint8", (), "$FF41 as stored (mode bits included)"),
    ("ly", "uint8", (), "$FF44"),
    ("lyc", "uint8", (), "$FF45"),
    ("scy", "uint8", (), "$FF42"),
    ("scx", "uint8", (), "$FF43"),
    ("wy", "uint8", (), "$FF4A"),
    ("wx", "uint8", (), "$FF4B"),
    ("lcd_frame_done", "uint8", (), "frame finished flag"),
    ("lcd_first_frame", "uint8", (), "first frame after the LCD was switched on (drawn blank)"),
    ("lcd_reset", "uint8", (), "LCD was switched off and the line clock reset"),
    ("lcd_last_cycles", "uint64", (), "cycle the LCD was last synchronised to"),
    ("lcd_clock", "uint64", (), "LCD clock within the frame"),
    ("lcd_clock_target", "uint64", (), "LCD clock of the next mode change"),
    ("lcd_next_stat_mode", "uint8", (), "STAT mode entered at lcd_clock_target"),
    ("lcd_stat_transition", "uint8", (), "pending STAT transition kind"),
    ("screen", "uint32", (144, 160), "framebuffer as RGBA bytes packed little-endian"),
    ("wy_activated", "uint8", (), "window Y condition met this frame"),
    # RAM
    ("wram", "uint8", (8192,), "work RAM $C000-$DFFF"),
    ("unusable", "uint8", (96,), "$FEA0-$FEFF (plain RAM in PyBoy)"),
    ("p1", "uint8", (), "$FF00 as latched at the last write"),
    ("hram", "uint8", (127,), "high RAM $FF80-$FFFE"),
    # Timer
    ("div", "uint8", (), "$FF04"),
    ("tima", "uint8", (), "$FF05 (internal value)"),
    ("div_counter", "uint16", (), "internal 16-bit divider"),
    ("tima_counter", "uint16", (), "cycles left in the TIMA reload sequence"),
    ("tma", "uint8", (), "$FF06"),
    ("tac", "uint8", (), "$FF07 low 3 bits"),
    ("tima_reload_state", "uint8", (), "0 none, 1 overflowed, 2 reloading"),
    ("timer_last_cycles", "uint64", (), "cycle the timer was last synchronised to"),
    ("timer_cycles_to_interrupt", "uint64", (), "scheduling: cycles to the next TIMA overflow"),
    # Cartridge
    ("rom_bank", "uint8", (), "selected ROM bank at $4000"),
    ("ram_bank", "uint8", (), "selected cartridge RAM bank"),
    ("ram_enabled", "uint8", (), "cartridge RAM enabled"),
    ("mbc_mode", "uint8", (), "MBC1 banking mode"),
    ("mbc_regs", "uint8", (2,), "MBC1 bank registers 1 and 2 (MBC5: rumble flags)"),
    ("cart_ram", "uint8", (32768,), "cartridge RAM, up to four 8 KiB banks"),
    # Joypad and serial
    ("joy_directional", "uint8", (), "d-pad lines, active low (right,left,up,down)"),
    ("joy_standard", "uint8", (), "button lines, active low (a,b,select,start)"),
    ("sb", "uint8", (), "$FF01"),
    ("sc", "uint8", (), "$FF02"),
    ("serial_transfer", "uint8", (), "serial transfer enabled"),
    ("serial_internal_clock", "uint8", (), "serial uses the internal clock"),
    ("serial_last_cycles", "uint64", (), "cycle serial was last synchronised to"),
    ("serial_cycles_to_interrupt", "uint64", (), "scheduling: cycles to the serial interrupt"),
    ("serial_clock", "uint64", (), "serial clock"),
    ("serial_clock_target", "uint64", (), "serial clock of the transfer's end"),
]

# What the emulator holds (both emulators' codecs convert exactly these).
MACHINE_FIELDS = FIELDS
SPEC = {name: (np.dtype(dtype), shape) for name, dtype, shape, _ in MACHINE_FIELDS}
# What the environment wrapped around the emulator holds: its outputs depend on them
# (truncation, the serial CRC), so set_state(get_state()) must carry them too.
ENV_FIELDS = [
    ("episode_step", "uint32", (), "steps since reset (truncated at episode_steps)"),
    ("serial_crc", "uint32", (), "CRC-32 of the bytes sent over serial since reset"),
]
FIELDS = MACHINE_FIELDS + ENV_FIELDS
NAMES = [f[0] for f in FIELDS]

# Groups hashed per frame in trace comparisons and shown in bisection reports.
REGION_GROUPS = {
    "cpu": ["a", "f", "b", "c", "d", "e", "h", "l", "sp", "pc", "ime", "ime_delay", "halted",
            "stopped", "ie", "int_queued", "if_", "cycles"],
    "wram": ["wram"], "hram": ["hram"], "vram": ["vram"], "oam": ["oam"],
    "io": ["p1", "sb", "sc", "div", "tima", "tma", "tac", "lcdc", "stat", "scy", "scx", "ly", "lyc",
           "dma_source", "bgp", "obp0", "obp1", "wy", "wx"],
}


def blank() -> dict:
    """A state of zeros (to be filled field by field)."""
    return {n: np.zeros(shape, dtype) for n, (dtype, shape) in SPEC.items()}


def digest(state: dict, names) -> str:
    import hashlib
    h = hashlib.sha1()
    for n in names:
        h.update(np.ascontiguousarray(state[n]).tobytes())
    return h.hexdigest()[:12]
