"""Frames/s of PyBoy (compiled, headless, no render) and EmuRust (single, and batched
VecEmulator 1..N), side by side from one run, on the Catch ROM with random buttons.
`equiv bench` calls SUITE.bench(reference_cls, ported_cls, args)."""
from __future__ import annotations

import os
import time

import numpy as np


def _rate(fn, frames: int) -> float:
    t = time.perf_counter()
    fn()
    return frames / (time.perf_counter() - t)


def bench(reference_cls, ported_cls, args=None, frames: int = 3000) -> dict:
    from reference_envs.gameboy import build
    rom, boot = build.rom_path("game").read_bytes(), build.rom_path(build.BOOT).read_bytes()
    masks = np.random.default_rng(0).integers(0, 256, frames).astype(np.uint8)
    rows = {}
    ref = reference_cls(rom="game", frameskip=1, episode_steps=10**9)
    ref.reset(0)
    p = ref.backend.p

    def run_pyboy():
        for m in masks:
            p.tick(1, False, False)
    rows["pyboy 2.8.1 (compiled, no render)"] = _rate(run_pyboy, frames)
    ref.close()
    try:
        import emurust
    except ImportError:
        emurust = None
    if emurust is not None:
        emu = emurust.Emulator(rom, boot)

        def run_single():
            for m in masks:
                emu.set_buttons(int(m))
                emu.run_frames(1, False)
        rows["emurust single"] = _rate(run_single, frames)
        if hasattr(emurust, "VecEmulator"):
            for n in sorted({1, 2, os.cpu_count() or 1}):
                vec = emurust.VecEmulator(rom, n)
                per = max(1, frames // n)

                def run_vec():
                    for k in range(per):
                        vec.step_frames(np.full(n, masks[k % frames], np.uint8), 1, False)
                rows[f"emurust VecEmulator n={n}"] = _rate(run_vec, per * n)
    base = rows["pyboy 2.8.1 (compiled, no render)"]
    print(f"{'implementation':40s} {'frames/s':>12s} {'x pyboy':>8s}")
    for name, r in rows.items():
        print(f"{name:40s} {r:12.0f} {r / base:8.2f}")
    return rows
