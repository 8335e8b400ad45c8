"""Frames/s of PyBoy 2.8.1 (headless, no render) and EmuRust (single-threaded and VecEmulator
n = 1..N), side by side from one run, on the game ROM and the CPU-bound ALU sweep:

    .venv/bin/python rust/bench.py [--frames 3000] [--max-n 4] [--roms game,alu_sweep] [--rounds 3]

The same as `equiv bench reference=pyboy ported=emurust`; the one implementation is
suites/gameboy/bench.py (same corpus ROM, same boot ROM, same sound setting and button
sequence on every row, no rendering).
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from suites.gameboy.bench import bench  # noqa: E402

if __name__ == "__main__":
    bench(args=sys.argv[1:])
