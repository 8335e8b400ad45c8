"""Frames per second of PyBoy 2.8.1 (headless, no render) and EmuRust, side by side from one run.

    .venv/bin/python rust/bench.py [--frames 3000] [--max-n 8] [--rom busy|halt|both]

Both emulators run the same project-built ROMs from the same boot ROM (emurust.DEFAULT_BOOT_ROM).
"busy" never halts (it polls LY, reads the joypad, scrolls); "halt" idles in HALT between VBlank
interrupts. Reported: wall-clock frames/s and, for the single-threaded rows, frames per CPU-second
(process time), which is steadier on a shared machine. Batched rows run VecEmulator with n
emulators (one Python call per step of `--chunk` frames) and report total frames/s across them.
"""

import argparse
import io
import os
import sys
import tempfile
import time

import numpy as np


def _rom(busy: bool) -> bytes:
    """A small DMG ROM: background tiles + map, sprites via OAM DMA, joypad-driven scrolling."""
    code = bytearray()
    labels, fix = {}, []

    def b(*xs):
        code.extend(xs)

    def lbl(n):
        labels[n] = 0x150 + len(code)

    def jr(op, n):
        b(op, 0)
        fix.append((len(code) - 1, n))

    b(0xF3, 0x31, 0xFE, 0xFF)  # DI; LD SP,$FFFE
    lbl("wait")
    b(0xF0, 0x44, 0xFE, 0x90)
    jr(0x38, "wait")  # wait for VBlank
    b(0xAF, 0xE0, 0x40)  # LCD off
    b(0x21, 0x10, 0x80, 0x06, 0x10)  # tile 1: stripes
    lbl("tile")
    b(0x78, 0x22, 0x05)
    jr(0x20, "tile")
    b(0x21, 0x00, 0x98, 0x01, 0x00, 0x04)  # BG map: tiles 0/1 pattern
    lbl("map")
    b(0x7D, 0xAC, 0xE6, 0x01, 0x22, 0x0B, 0x78, 0xB1)
    jr(0x20, "map")
    b(0x21, 0x00, 0xC1, 0x06, 0xA0)  # sprite table at $C100
    lbl("spr")
    b(0x78, 0x22, 0x05)
    jr(0x20, "spr")
    b(0x3E, 0xE4, 0xE0, 0x47, 0x3E, 0xD2, 0xE0, 0x48)  # palettes
    b(0x3E, 0x01, 0xE0, 0xFF, 0xAF, 0xE0, 0x0F)  # IE = VBlank
    b(0x3E, 0x93, 0xE0, 0x40, 0xFB)  # LCD on (BG + sprites); EI
    lbl("main")
    if not busy:
        b(0x76, 0x00)  # HALT until VBlank
    b(0x3E, 0x20, 0xE0, 0x00, 0xF0, 0x00, 0xF0, 0x00, 0x2F, 0xE6, 0x0F)  # read d-pad
    b(0x21, 0x00, 0xC0, 0x86, 0x77, 0xE0, 0x43)  # SCX += pad
    b(0x21, 0x01, 0xC0, 0x34)  # frame work counter
    if busy:
        lbl("poll")
        b(0xF0, 0x44, 0xFE, 0x90)
        jr(0x20, "poll")  # spin until LY == 144
    b(0xC3, 0, 0)
    fix.append((len(code) - 2, "main!"))
    vbl = 0x150 + len(code)
    b(0xF5, 0x3E, 0xC1, 0xE0, 0x46, 0x3E, 0x28)  # VBlank: OAM DMA from $C100
    lbl("dma")
    b(0x3D)
    jr(0x20, "dma")
    b(0xF1, 0xD9)
    for off, n in fix:
        if n.endswith("!"):
            t = labels[n[:-1]]
            code[off], code[off + 1] = t & 0xFF, t >> 8
        else:
            code[off] = (labels[n] - (0x150 + off + 1)) & 0xFF
    rom = bytearray(0x8000)
    rom[0x100:0x104] = bytes([0x00, 0xC3, 0x50, 0x01])
    rom[0x134:0x13C] = b"BENCHROM"
    rom[0x150 : 0x150 + len(code)] = code
    rom[0x40:0x43] = bytes([0xC3, vbl & 0xFF, vbl >> 8])
    x = 0
    for v in rom[0x134:0x14D]:
        x = (x - v - 1) & 0xFF
    rom[0x14D] = x
    return bytes(rom)


def _timed(fn):
    w0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w0, time.process_time() - c0


def bench(frames: int = 3000, max_n: int = 8, chunk: int = 60, which: str = "both") -> list[dict]:
    import emurust
    from pyboy import PyBoy

    boot = emurust.DEFAULT_BOOT_ROM
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        boot_path = os.path.join(tmp, "boot.bin")
        with open(boot_path, "wb") as f:
            f.write(boot)
        kinds = ["busy", "halt"] if which == "both" else [which]
        for kind in kinds:
            rom = _rom(kind == "busy")
            p = PyBoy(io.BytesIO(rom), window="null", bootrom=boot_path, log_level="ERROR", cgb=False)
            p.set_emulation_speed(0)
            p.tick(120, False)  # past the boot ROM
            wall, cpu = _timed(lambda: [p.tick(1, False) for _ in range(frames)])
            py_fps = frames / wall
            rows.append(dict(rom=kind, emulator="PyBoy 2.8.1", n=1, fps=py_fps, cpu_fps=frames / cpu, ratio=1.0))
            p.stop(save=False)

            e = emurust.Emulator(rom, boot)
            e.run_frames(120, False)
            wall, cpu = _timed(lambda: [e.run_frame(False) for _ in range(frames)])
            rows.append(dict(rom=kind, emulator="EmuRust", n=1, fps=frames / wall, cpu_fps=frames / cpu, ratio=frames / wall / py_fps))

            n = 1
            while n <= max_n:
                v = emurust.VecEmulator(rom, n, boot)
                v.step_frames(np.zeros(n, np.uint8), 120, False)
                steps = max(1, frames // (chunk * n))
                buttons = np.zeros(n, np.uint8)
                wall, _ = _timed(lambda: [v.step_frames(buttons, chunk, False) for _ in range(steps)])
                total = steps * chunk * n
                rows.append(dict(rom=kind, emulator="EmuRust VecEmulator", n=n, fps=total / wall, cpu_fps=float("nan"), ratio=total / wall / py_fps))
                n *= 2
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--frames", type=int, default=3000)
    ap.add_argument("--max-n", type=int, default=max(2, os.cpu_count() or 2) * 2)
    ap.add_argument("--chunk", type=int, default=60, help="frames per VecEmulator.step_frames call")
    ap.add_argument("--rom", choices=["busy", "halt", "both"], default="both")
    args = ap.parse_args(argv)
    rows = bench(args.frames, args.max_n, args.chunk, args.rom)
    print(f"cores: {os.cpu_count()}   frames per row: {args.frames}   (ratio = frames/s / PyBoy frames/s on the same ROM)")
    print(f"{'rom':5} {'emulator':22} {'n':>3} {'frames/s':>10} {'frames/cpu-s':>13} {'ratio':>7}")
    for r in rows:
        cpu = "" if r["cpu_fps"] != r["cpu_fps"] else f"{r['cpu_fps']:.0f}"
        print(f"{r['rom']:5} {r['emulator']:22} {r['n']:>3} {r['fps']:>10.0f} {cpu:>13} {r['ratio']:>6.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
