"""Write the L2 traces of suites/pokemon/traces/ by playing the reference once.

    python -m suites.pokemon.make_traces

A trace is a fixed script: its actions are recorded here from a policy on the reference,
then committed, so both sides replay the same choices forever after. Each trace pins the
reference's own result too (``expect``), so a changed reference is noticed.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import yaml

TRACES = [
    # name, variant, seed, policy, what it exercises
    ("random_battle_customgame", "customgame", 11, "random", "a whole battle under uniform random play, gen1customgame"),
    ("first_move_spam", "customgame", 12, "first", "each player takes its lowest-numbered legal action: move 1 "
     "every turn, replacements in team order after faints"),
    ("switch_heavy_randombattle", "randombattle", 13, "switchy", "players switch whenever allowed (2 in 3): "
     "switch-in order, Sleep/Freeze Clause Mods under gen1randombattle rules"),
]


def _switchy(obs, legal, rng):
    acts = []
    for row in np.asarray(legal, bool):
        switches = [a for a in np.flatnonzero(row) if 4 <= a <= 9]
        pool = switches if switches and rng.random() < 2 / 3 else list(np.flatnonzero(row))
        acts.append(int(pool[rng.integers(len(pool))]))
    return np.asarray(acts)


def main() -> None:
    from adapters.ts_showdown import TsShowdown
    from suites.pokemon import SUITE
    out_dir = Path(__file__).parent / "traces"
    for name, variant, seed, policy_name, doc in TRACES:
        env = TsShowdown(**SUITE.variants[variant])
        policy = _switchy if policy_name == "switchy" else SUITE.policy(policy_name)
        traj = env.rollout(seed, policy, 3000)
        env.close()
        last = traj.length - 1
        text = {"doc": doc, "variant": variant, "seed": seed,
                "actions": [[int(a) for a in act] for act in traj.actions],
                "expect": [{"step": last, "field": "reward", "value": float(traj.outputs["reward"][last])},
                           {"step": last, "field": "terminated", "value": bool(traj.outputs["terminated"][last])}]}
        path = out_dir / f"{name}.yaml"
        header = (f"# Recorded by suites/pokemon/make_traces.py from ts_showdown ({policy_name} policy); "
                  f"{traj.length} steps.\n")
        path.write_text(header + yaml.safe_dump(text, default_flow_style=None, sort_keys=False, width=120))
        print(f"wrote {path}: {traj.length} steps, final reward {traj.outputs['reward'][last]}")


if __name__ == "__main__":
    main()
