"""Frames/s of the reference (PyBoy 2.8.1, compiled, headless) and the port (EmuRust single, and
batched VecEmulator n = 1, 2, 4, ...), side by side from one run, on two ROMs: the joypad game
(which waits for the next frame in HALT) and the ALU sweep (which never halts: CPU-bound).

Fair by construction: every row of a ROM builds its emulator through the adapter class it was
given (same corpus ROM, same boot ROM, same sound setting, reset the same way), runs the same
warm-up, then the same seeded button sequence applied before every frame, and no row renders.
``frames/cpu-s`` divides by the process's CPU time (the per-core figure). ``equiv bench
reference=pyboy ported=emurust [--frames N] [--max-n N] [--roms game,alu_sweep] [--rounds R]`` calls this
through SUITE.bench; ``python rust/bench.py`` is the same with the bundled adapters.
"""
from __future__ import annotations

import argparse
import os
import time

import numpy as np

WARMUP_FRAMES = 120  # past the boot ROM and the game's set-up
ROMS = ("game", "alu_sweep")
GOAL = 5.0  # frames per CPU-second of single-threaded EmuRust over PyBoy's (issue 17)
LIMITS = ("what limits the CPU-bound ROM: about 55 host instructions per emulated instruction all-inclusive "
          "(406k a frame for 7,300 instructions and about 580 coordinator passes, one per PPU event, kept exactly "
          "where PyBoy has them), and the layout the compiler gives the one dispatch function: the profile-guided "
          "build gains 11-15%, while count-only changes of 5-10% moved time either way; see rust/README.md, Performance")


def _parse(args) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="equiv bench reference=pyboy ported=emurust", description=__doc__)
    ap.add_argument("--frames", type=int, default=3000, help="frames per row (default 3000)")
    ap.add_argument("--max-n", type=int, default=2 * (os.cpu_count() or 1),
                    help="largest VecEmulator batch (doubling from 1; default 2 x cores)")
    ap.add_argument("--roms", default=",".join(ROMS), help=f"corpus ROMs, comma-separated (default {','.join(ROMS)})")
    ap.add_argument("--rounds", type=int, default=3,
                    help="timed rounds of the two single-emulator rows, interleaved; each reports its best "
                         "(default 3: on a shared machine single runs swing by 10-20%%)")
    return ap.parse_args(list(args or []))


def _timed(fn) -> tuple[float, float]:
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


class _Single:
    """One emulator built through its adapter class, warmed up; ``round()`` times the button
    sequence from a fresh reset and keeps the best frames/s (wall and CPU) seen."""

    def __init__(self, adapter_cls, rom: str, warm, timed):
        self.adapter = adapter_cls(rom=rom, frameskip=1)
        self.warm, self.timed = [int(m) for m in warm], [int(m) for m in timed]
        self.fps = self.cpu_fps = 0.0

    def round(self):
        self.adapter.reset(0)
        run = self.adapter.run_frames  # the emulator alone: unrendered, no observation

        def play(masks):
            for m in masks:
                run(m)
        play(self.warm)
        wall, cpu = _timed(lambda: play(self.timed))
        self.fps = max(self.fps, len(self.timed) / wall)
        self.cpu_fps = max(self.cpu_fps, len(self.timed) / cpu)

    def close(self):
        self.adapter.close()


def _vec_rows(port_cls, rom: str, warm, timed, max_n: int) -> list[dict]:
    import emurust
    from suites.gameboy.state import SOUND_EMULATED
    probe = port_cls(rom=rom, frameskip=1)  # the ROM and boot bytes the adapter would load
    rom_bytes, boot = probe.rom, probe.boot
    probe.close()
    rows, n = [], 1
    while n <= max_n:
        vec = emurust.VecEmulator(rom_bytes, n, boot, sound_emulated=SOUND_EMULATED)
        for m in warm:
            vec.step_frames(np.full(n, m, np.uint8), 1, False)
        steps = max(1, len(timed) // n)

        def vec_frames():
            for k in range(steps):
                vec.step_frames(np.full(n, timed[k % len(timed)], np.uint8), 1, False)
        wall, cpu = _timed(vec_frames)
        rows.append(dict(emulator="EmuRust VecEmulator", n=n, fps=steps * n / wall, cpu_fps=steps * n / cpu))
        n *= 2
    return rows


def bench(reference_cls=None, ported_cls=None, args=None) -> list[dict]:
    from reference_envs.gameboy import build
    from suites.gameboy.state import SOUND_EMULATED
    if reference_cls is None or ported_cls is None:
        from adapters.emurust import EmuRust
        from adapters.pyboy import PyBoyAdapter
        reference_cls, ported_cls = reference_cls or PyBoyAdapter, ported_cls or EmuRust
    opts = _parse(args)
    problem = build.built_ok()
    if problem:
        raise SystemExit(f"{problem}; run ./dev.sh setup")
    roms = [r for r in opts.roms.split(",") if r]
    unknown = [r for r in roms if r not in build.CORPUS or r == build.BOOT]
    if unknown:
        raise SystemExit(f"--roms {unknown} not in the corpus; pick from {[n for n in build.CORPUS if n != build.BOOT]}")
    masks = np.random.default_rng(0).integers(0, 256, opts.frames + WARMUP_FRAMES).astype(np.uint8)
    warm, timed = masks[:WARMUP_FRAMES], masks[WARMUP_FRAMES:]
    rows = []
    for rom in roms:
        sides = [_Single(reference_cls, rom, warm, timed), _Single(ported_cls, rom, warm, timed)]
        try:
            for _ in range(max(1, opts.rounds)):
                for side in sides:
                    side.round()
        finally:
            for side in sides:
                side.close()
        ref, port = sides
        base = dict(rom=rom, emulator=f"{reference_cls.__name__} (PyBoy 2.8.1, compiled)", n=1, fps=ref.fps,
                    cpu_fps=ref.cpu_fps)
        port = dict(rom=rom, emulator=f"{ported_cls.__name__} (single-threaded)", n=1, fps=port.fps,
                    cpu_fps=port.cpu_fps)
        group = [base, port] + [dict(rom=rom, **r) for r in _vec_rows(ported_cls, rom, warm, timed, opts.max_n)]
        for r in group:
            r["ratio"], r["cpu_ratio"] = r["fps"] / base["fps"], r["cpu_fps"] / base["cpu_fps"]
        rows += group
    print(f"{opts.frames} frames per row, buttons from one seeded sequence on every row, no rendering, "
          f"sound_emulated={SOUND_EMULATED}, {os.cpu_count()} cores; single rows: best of {max(1, opts.rounds)} "
          f"interleaved rounds, VecEmulator rows: one")
    print(f"{'ROM':10s} {'emulator':40s} {'n':>3s} {'frames/s':>10s} {'x':>7s} {'frames/cpu-s':>13s} {'x':>7s}")
    for r in rows:
        print(f"{r['rom']:10s} {r['emulator']:40s} {r['n']:>3d} {r['fps']:>10.0f} {r['ratio']:>6.2f}x "
              f"{r['cpu_fps']:>13.0f} {r['cpu_ratio']:>6.2f}x")
    singles = [r for r in rows if r["emulator"].endswith("(single-threaded)")]
    print(f"goal >= {GOAL:g}x PyBoy per CPU-second, single-threaded: " + "; ".join(
        f"{r['rom']} {r['cpu_ratio']:.2f}x {'met' if r['cpu_ratio'] >= GOAL else 'not met'}" for r in singles))
    if any(r["cpu_ratio"] < GOAL for r in singles):
        print(LIMITS)
    return rows
