"""Many seeded games on the reference and tcgjax, compared exactly at every step.

The reference (tcg_python) plays each game with a policy (``random``: uniform over the legal
actions from ``numpy.random.default_rng(seed)``; ``greedy``: the suite's bot) and records every
step: the §9.1 state, the view and actor, the reward pair and the legal mask. tcgjax replays the
same actions in batches (one vmap + scan call per batch) and every field is compared at every
step. Prints one line per matchup and the first divergence of each failing game.

    python -m ported_envs.tcgjax.dev.lockstep --games 1000 [--variants fire_vs_water,...] [--policy random]
"""
from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from adapters.tcg_python import TcgPython
from adapters.tcgjax import TcgJax


def play_reference(ref, seed: int, policy, max_steps: int = 2048):
    obs = ref.reset(seed)
    rng = np.random.default_rng([seed, 0x5EED])
    actions, states, outs = [], [], []
    for _ in range(max_steps):
        legal = ref.legal_actions()
        a = int(policy(obs, legal, rng))
        st = ref.step(a)
        obs = st.obs
        actions.append(a)
        states.append(ref.get_state())
        outs.append({"obs.view": st.obs["view"], "obs.actor": st.obs["actor"], "reward": st.reward,
                     "terminated": st.terminated, "legal": ref.legal_actions()})
        if st.terminated:
            break
    return actions, states, outs


def first_difference(states, outs, traj):
    """(step, field, reference value, port value) of the first mismatch, or None."""
    for t in range(len(states)):
        if t >= traj.length:
            return t, "(replay stopped)", None, traj.interrupted
        for k, v in states[t].items():
            p = traj.states[k][t]
            if not np.array_equal(np.asarray(v), p):
                return t, k, np.asarray(v).tolist(), p.tolist()
        for k, v in outs[t].items():
            p = traj.outputs[k][t]
            if not np.array_equal(np.asarray(v), p):
                return t, k, np.asarray(v).tolist(), p.tolist()
    if traj.length != len(states):
        return len(states), "(length)", len(states), traj.length
    return None


def run(variant: str, decks, games: int, policy_name: str, batch: int, seed0: int = 0, port_cls=TcgJax) -> tuple:
    """(games that differ as (seed, first difference, actions up to it), steps, reference s, port s)."""
    from suites.tcg import SUITE
    ref, port = TcgPython(*decks), port_cls(*decks)
    policy = SUITE.policy(policy_name)
    bad, steps, t_ref, t_port = [], 0, 0.0, 0.0
    for lo in range(seed0, seed0 + games, batch):
        seeds = list(range(lo, min(lo + batch, seed0 + games)))
        t = time.perf_counter()
        recs = [play_reference(ref, s, policy) for s in seeds]
        t_ref += time.perf_counter() - t
        t = time.perf_counter()
        trajs = port.replays(seeds, [r[0] for r in recs], record_states=True)
        t_port += time.perf_counter() - t
        for s, (actions, states, outs), traj in zip(seeds, recs, trajs):
            steps += len(actions)
            d = first_difference(states, outs, traj)
            if d is not None:
                bad.append((s, d, actions[:d[0] + 1]))
    return bad, steps, t_ref, t_port


def main(argv=None) -> int:
    from suites.tcg import VARIANTS
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--games", type=int, default=200)
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--policy", default="random")
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--seed0", type=int, default=0)
    args = ap.parse_args(argv)
    failed = 0
    for v in args.variants.split(","):
        cfg = VARIANTS[v]
        bad, steps, t_ref, t_port = run(v, (cfg["deck0"], cfg["deck1"]), args.games, args.policy, args.batch,
                                        args.seed0)
        print(f"{v:22s} {args.policy:7s} games {args.games - len(bad):5d}/{args.games} exact, {steps} steps "
              f"(reference {t_ref:.1f} s, tcgjax replays {t_port:.1f} s)", flush=True)
        for s, (t, field, rv, pv), actions in bad[:3]:
            print(f"   seed {s}: first difference at step {t} in {field}: reference {rv} tcgjax {pv}; "
                  f"actions {actions}")
        failed += len(bad)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
