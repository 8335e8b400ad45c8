"""Random-legal-action throughput of the reference, one process.

    python -m reference_envs.tcg_python.speed [GAMES]     # default 600 games, 3 matchups

Prints steps/s for the engine alone (legal mask + step: what a random-legal player needs),
with the actor's observation, and through the equiv adapter (numpy outputs).
"""
from __future__ import annotations

import random
import sys
import time

import numpy as np

from reference_envs.tcg_python import TcgEngine

PAIRS = (("A-Fire", "B-Water"), ("C-Dragon-Lightning", "D-Psychic"), ("E-Fighting", "F-Grass-Poison"))


def engine_rate(games: int, observe: bool) -> float:
    rng = random.Random(0)
    steps, t0 = 0, time.perf_counter()
    for i in range(games):
        e = TcgEngine()
        e.reset(i, *PAIRS[i % 3])
        while not e.done:
            mask = e.legal_mask()
            e.step(rng.choice([a for a in range(72) if mask[a]]))
            if observe:
                e.observe(max(e.actor, 0))
            steps += 1
    return steps / (time.perf_counter() - t0)


def adapter_rate(games: int) -> float:
    from adapters.tcg_python import TcgPython
    rng = np.random.default_rng(0)
    steps, t0 = 0, time.perf_counter()
    for i in range(games):
        ad = TcgPython(deck0=PAIRS[i % 3][0], deck1=PAIRS[i % 3][1])
        ad.reset(i)
        while True:
            legal = np.flatnonzero(ad.legal_actions())
            steps += 1
            if ad.step(int(legal[rng.integers(len(legal))])).terminated:
                break
    return steps / (time.perf_counter() - t0)


def main(argv: list[str]) -> int:
    games = int(argv[0]) if argv else 600
    print(f"engine, mask + step:            {engine_rate(games, False):10,.0f} steps/s")
    print(f"engine, mask + step + view:     {engine_rate(games, True):10,.0f} steps/s")
    print(f"adapter (numpy view and mask):  {adapter_rate(games // 2):10,.0f} steps/s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
