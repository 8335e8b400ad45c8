"""Frames/s of PyBoy 2.8.1 (compiled, headless, no render) and EmuRust (single, and batched
VecEmulator n = 1..N), side by side from one run.

Fair by construction: every row runs the same corpus ROM from the same boot ROM (the
corpus's own, reference_envs/gameboy/roms/boot.asm) with the same sound setting
(env.SOUND_EMULATED), past the boot ROM, then the same seeded button sequence applied
before every frame, and no row renders. `equiv bench reference=pyboy ported=emurust [--frames
N] [--max-n N] [--rom NAME]` calls this through SUITE.bench; `python rust/bench.py` is the same.
"""
from __future__ import annotations

import argparse
import os
import time

import numpy as np

WARMUP_FRAMES = 120  # past the boot ROM and the game's set-up


def _parse(args) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="equiv bench reference=pyboy ported=emurust", description=__doc__)
    ap.add_argument("--frames", type=int, default=3000, help="frames per row (default 3000)")
    ap.add_argument("--max-n", type=int, default=2 * (os.cpu_count() or 1),
                    help="largest VecEmulator batch (doubling from 1; default 2 x cores)")
    ap.add_argument("--rom", default="game", help="corpus ROM (default: game, the joypad-driven game)")
    return ap.parse_args(list(args or []))


def _timed(fn) -> tuple[float, float]:
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


def bench(reference_cls=None, ported_cls=None, args=None) -> list[dict]:
    import emurust

    from adapters.pyboy import _Compiled
    from reference_envs.gameboy import build
    from reference_envs.gameboy.env import SOUND_EMULATED
    opts = _parse(args)
    problem = build.built_ok()
    if problem:
        raise SystemExit(f"{problem}; run ./dev.sh setup")
    rom, boot = build.rom_path(opts.rom).read_bytes(), build.rom_path(build.BOOT).read_bytes()
    frames = opts.frames
    masks = np.random.default_rng(0).integers(0, 256, frames + WARMUP_FRAMES).astype(np.uint8)
    warm, timed = masks[:WARMUP_FRAMES], masks[WARMUP_FRAMES:]
    rows = []

    # PyBoy through the adapter's own backend: press/release events from the mask, tick(1, render=False)
    ref = _Compiled(rom, boot)
    try:
        def pyboy_frames(ms):
            for m in ms:
                ref.frames(int(m), 1, render=False)
        pyboy_frames(warm)
        wall, cpu = _timed(lambda: pyboy_frames(timed))
    finally:
        ref.close()
    base = frames / wall
    rows.append(dict(emulator="PyBoy 2.8.1 (compiled, headless)", n=1, fps=base, cpu_fps=frames / cpu))

    emu = emurust.Emulator(rom, boot, sound_emulated=SOUND_EMULATED)

    def emu_frames(ms):
        for m in ms:
            emu.set_buttons(int(m))
            emu.run_frame(False)
    emu_frames(warm)
    wall, cpu = _timed(lambda: emu_frames(timed))
    rows.append(dict(emulator="EmuRust single-threaded", n=1, fps=frames / wall, cpu_fps=frames / cpu))

    n = 1
    while n <= opts.max_n:
        vec = emurust.VecEmulator(rom, n, boot, sound_emulated=SOUND_EMULATED)
        for m in warm:
            vec.step_frames(np.full(n, m, np.uint8), 1, False)
        steps = max(1, frames // n)

        def vec_frames():
            for k in range(steps):
                vec.step_frames(np.full(n, timed[k % frames], np.uint8), 1, False)
        wall, _ = _timed(vec_frames)
        rows.append(dict(emulator="EmuRust VecEmulator", n=n, fps=steps * n / wall, cpu_fps=float("nan")))
        n *= 2

    print(f"ROM {opts.rom!r}, {frames} frames per row, buttons from one seeded sequence on every row, "
          f"no rendering, sound_emulated={SOUND_EMULATED}, {os.cpu_count()} cores")
    print(f"{'emulator':34s} {'n':>3s} {'frames/s':>10s} {'frames/cpu-s':>13s} {'x PyBoy':>8s}")
    for r in rows:
        r["ratio"] = r["fps"] / base
        cpu = "" if r["cpu_fps"] != r["cpu_fps"] else f"{r['cpu_fps']:.0f}"
        print(f"{r['emulator']:34s} {r['n']:>3d} {r['fps']:>10.0f} {cpu:>13s} {r['ratio']:>7.2f}x")
    return rows
