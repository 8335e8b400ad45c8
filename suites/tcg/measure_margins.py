"""Measure the spread of every L3 metric on the reference, to set the suite's margins.

    python -m suites.tcg.measure_margins [GAMES]    # default 400 per variant and policy

Plays seeds 0..GAMES-1 of every variant under every policy on ``tcg_python`` and prints
the mean and standard deviation of each metric; the suite's docstring quotes the result.
"""
from __future__ import annotations

import sys
import time

import numpy as np

from adapters.tcg_python import TcgPython
from suites.tcg import MAX_STEPS, SUITE


def main(argv: list[str]) -> int:
    games = int(argv[0]) if argv else 400
    t0 = time.perf_counter()
    widest: dict = {}
    for variant, config in SUITE.variants.items():
        adapter = TcgPython(**config)
        for policy_name in SUITE.policy_names():
            policy = SUITE.policy(policy_name, variant)
            trajs = adapter.rollouts(list(range(games)), policy, MAX_STEPS)
            cells = []
            for m in SUITE.metrics:
                if m.policies is not None and policy_name not in m.policies:
                    continue
                x = np.asarray([m.extract(t) for t in trajs])
                sd = float(x.std(ddof=1))
                widest[m.name] = max(widest.get(m.name, 0.0), sd)
                cells.append(f"{m.name} {x.mean():.3f}/{sd:.3f}")
            print(f"{variant:20s} {policy_name:7s} " + "  ".join(cells), flush=True)
    print("widest sd: " + ", ".join(f"{k} {v:.3f}" for k, v in widest.items()))
    print(f"{time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
