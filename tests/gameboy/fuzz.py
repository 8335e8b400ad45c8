"""Frame-level differential fuzzing of EmuRust against PyBoy 2.8.1 on random I/O-heavy ROMs.

Each ROM (built from a seed) runs a random loop of actions that stress the coordinator's
timing: timer/DIV/TAC/TMA/TIMA writes and reads, LCDC switching, STAT/LYC, scroll and window
registers, OAM DMA, VRAM/OAM access in every PPU mode, serial transfers, IF/IE writes, EI/DI,
HALT (also right after EI), busy loops of random length; interrupt handlers that read and
write I/O too; random buttons every frame. Both emulators run it frame by frame (rendering)
and every canonical state field is compared after every frame.

    .venv/bin/python -m tests.gameboy.fuzz [n_roms] [frames] [first_seed]
"""
from __future__ import annotations

import io
import os
import sys
import tempfile
import warnings

import numpy as np

from reference_envs.gameboy.buttons import BUTTONS
from reference_envs.gameboy.savestate import Layout
from suites.gameboy.state import SPEC

# I/O registers written (weight, address, value chooser)
WRITES = [
    (6, 0xFF07, lambda r: int(r.integers(0, 8))),           # TAC
    (3, 0xFF06, lambda r: int(r.choice([0x00, 0xF0, 0xFE, 0xFF, r.integers(256)]))),  # TMA
    (3, 0xFF05, lambda r: int(r.choice([0xFE, 0xFF, 0x00, r.integers(256)]))),        # TIMA
    (4, 0xFF04, lambda r: int(r.integers(256))),           # DIV (resets)
    (3, 0xFF0F, lambda r: int(r.integers(32))),            # IF
    (2, 0xFFFF, lambda r: int(r.integers(32))),            # IE
    (3, 0xFF40, lambda r: int(r.choice([0x91, 0x93, 0x83, 0x11, 0xE3, 0x97, 0x00, 0xB1]))),  # LCDC
    (3, 0xFF41, lambda r: int(r.integers(256))),           # STAT
    (3, 0xFF45, lambda r: int(r.integers(0, 156))),        # LYC
    (2, 0xFF43, lambda r: int(r.integers(256))),           # SCX
    (1, 0xFF42, lambda r: int(r.integers(256))),           # SCY
    (1, 0xFF4A, lambda r: int(r.integers(0, 150))),        # WY
    (1, 0xFF4B, lambda r: int(r.integers(0, 170))),        # WX
    (1, 0xFF47, lambda r: int(r.integers(256))),           # BGP
    (2, 0xFF46, lambda r: int(r.choice([0xC0, 0xC1, 0xD0, 0x80, 0x00, 0xFE]))),  # OAM DMA
    (2, 0xFF02, lambda r: int(r.choice([0x81, 0x80, 0x01, 0x00]))),  # SC
    (1, 0xFF01, lambda r: int(r.integers(256))),           # SB
    (1, 0xFF00, lambda r: int(r.choice([0x10, 0x20, 0x30]))),  # P1
]
READS = [0xFF04, 0xFF05, 0xFF41, 0xFF44, 0xFF0F, 0xFF02, 0xFF07, 0xFF00, 0xFF06, 0xFF46]


def _pick_write(rng):
    weights = np.array([w for w, _, _ in WRITES], float)
    _, addr, value = WRITES[int(rng.choice(len(WRITES), p=weights / weights.sum()))]
    return addr, value(rng)


def _ldh_write(addr: int, value: int) -> bytes:
    return bytes([0x3E, value, 0xE0, addr & 0xFF])   # LD A,v ; LDH (a8),A


def _action(rng) -> bytes:
    k = int(rng.integers(0, 100))
    if k < 40:
        return _ldh_write(*_pick_write(rng))
    if k < 55:
        return bytes([0xF0, int(rng.choice(READS)) & 0xFF])   # LDH A,(a8)
    if k < 62:
        return bytes([0x76, 0x00])                         # HALT ; NOP
    if k < 66:
        return bytes([0xFB, 0x76, 0x00])                   # EI ; HALT ; NOP
    if k < 70:
        return bytes([0xFB])                               # EI
    if k < 73:
        return bytes([0xF3])                               # DI
    if k < 82:
        n = int(rng.integers(1, 60))
        return bytes([0x06, n, 0x05, 0x20, 0xFD])          # LD B,n ; DEC B ; JR NZ,-3
    if k < 88:                                             # VRAM byte, any mode
        a = 0x8000 + int(rng.integers(0x2000))
        return bytes([0x21, a & 0xFF, a >> 8, 0x3E, int(rng.integers(256)), 0x77, 0x7E])
    if k < 93:                                             # OAM byte, any mode
        a = 0xFE00 + int(rng.integers(0xA0))
        return bytes([0x21, a & 0xFF, a >> 8, 0x3E, int(rng.integers(256)), 0x77, 0x7E])
    if k < 97:                                             # timer edge: DIV write, then TIMA read
        return _ldh_write(0xFF04, 0) + bytes([0xF0, 0x05])
    return bytes([0x00] * int(rng.integers(1, 8)))


def make_rom(seed: int) -> bytes:
    """A 32 KiB ROM-only cartridge of random timing-heavy actions (deterministic in ``seed``)."""
    rng = np.random.default_rng([seed, 0xF022])
    rom = bytearray(0x8000)
    for i, vec in enumerate((0x40, 0x48, 0x50, 0x58, 0x60)):   # handlers: jump to the code at 0x4000+
        rom[vec:vec + 3] = bytes([0xC3, 0x00, 0x40 + i])
    for i in range(5):
        at = 0x4000 + i * 0x100
        body = bytes([0xF5])                                  # PUSH AF
        for _ in range(int(rng.integers(0, 3))):
            body += _ldh_write(*_pick_write(rng)) if rng.integers(2) else bytes([0xF0, int(rng.choice(READS)) & 0xFF])
        body += bytes([0xF1, 0xD9])                           # POP AF ; RETI
        rom[at:at + len(body)] = body
    rom[0x100:0x104] = bytes([0x00, 0xC3, 0x50, 0x01])
    rom[0x134:0x13A] = b"FUZZ\0\0"
    code = bytearray([0x31, 0xF0, 0xDF])                      # LD SP,$DFF0
    code += _ldh_write(0xFFFF, int(rng.integers(1, 32)))      # IE
    code += bytes([0xFB])                                     # EI
    loop = 0x150 + len(code)
    while len(code) < 0x3000:
        code += _action(rng)
    code += bytes([0xC3, loop & 0xFF, loop >> 8])             # JP loop
    rom[0x150:0x150 + len(code)] = code
    x = 0
    for v in rom[0x134:0x14D]:
        x = (x - v - 1) & 0xFF
    rom[0x14D] = x
    return bytes(rom)


def _port_state(emu) -> dict:
    raw = emu.state_fields()
    out = {}
    for name, (dtype, shape) in SPEC.items():
        v = raw[name]
        if shape:
            arr = np.frombuffer(bytes(v), np.uint8)
            out[name] = arr.view(dtype).reshape(shape) if dtype != np.uint8 else arr.reshape(shape)
        else:
            out[name] = dtype.type(int(v))
    return out


def compare(seed: int, frames: int, boot: bytes) -> str | None:
    """None when every field matches after every frame; else what differed first."""
    import emurust
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pyboy import PyBoy
    rom = make_rom(seed)
    fd, boot_path = tempfile.mkstemp(suffix=".bin")
    with os.fdopen(fd, "wb") as f:
        f.write(boot)
    try:
        ref = PyBoy(io.BytesIO(rom), window="null", bootrom=boot_path, cgb=False, sound_emulated=False,
                    log_level="ERROR")
        emu = emurust.Emulator(rom, boot, sound_emulated=False)
        buf = io.BytesIO()
        ref.save_state(buf)
        layout = Layout(buf.getvalue(), rom[:0x150])
        rng = np.random.default_rng([seed, 1])
        held = 0
        for frame in range(frames):
            mask = int(rng.integers(256)) if rng.integers(3) == 0 else held
            for bit, name in enumerate(BUTTONS):
                if (mask >> bit & 1) != (held >> bit & 1):
                    (ref.button_press if mask >> bit & 1 else ref.button_release)(name)
            held = mask
            emu.set_buttons(mask)
            ref.tick(1, True, False)
            emu.run_frame(True)
            buf = io.BytesIO()
            ref.save_state(buf)
            want, got = layout.read(buf.getvalue()), _port_state(emu)
            bad = [k for k in SPEC if not np.array_equal(want[k], got[k])]
            if bad:
                shown = ", ".join(f"{k}: {np.asarray(want[k]).ravel()[:4]} vs {np.asarray(got[k]).ravel()[:4]}"
                                  for k in bad[:6])
                return f"seed {seed}, frame {frame}: {len(bad)} fields differ ({shown})"
        ref.stop(save=False)
    finally:
        os.unlink(boot_path)
    return None


def main(argv) -> int:
    from reference_envs.gameboy import build
    n = int(argv[0]) if argv else 20
    frames = int(argv[1]) if len(argv) > 1 else 30
    first = int(argv[2]) if len(argv) > 2 else 0
    boot = build.rom_path(build.BOOT).read_bytes()
    failed = 0
    for seed in range(first, first + n):
        problem = compare(seed, frames, boot)
        if problem:
            failed += 1
            print(problem, flush=True)
    print(f"{n - failed} of {n} fuzz ROMs identical over {frames} frames")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
