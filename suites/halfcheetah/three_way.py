"""The three-way picture at the scale of the standard tier: MuJoCo C against MJX (the noise floor of
two MuJoCo implementations), C against the port, in float64 and float32, over teacher-forced segments.

    python -m suites.halfcheetah.three_way [--episodes 100] [--policy random]

C plays ``--episodes`` 1,000-step episodes; every ``SYNC_EVERY``-step segment is replayed from C's
state on each other implementation (MJX against the port is their two rows side by side). Per field:
the largest deviation at the segment's first step and over the whole segment, the 99.9th percentile,
and how many segments exceed the suite's segment tolerance (f32 rows: the f32 variant's).

Figures on this machine, 2026-12-06, 100 random-policy episodes = 20,000 segments (any-step max,
q99.9, segments over the segment tolerance of the time, which was calibrated on 100 MJX states):

    port64  qpos 8.6e-11 (1.1e-12, 2)   qvel 9.5e-09 (7.0e-11, 2)    qacc_warmstart 1.2e-06 (1.2e-08, 1)
    mjx64   qpos 3.5e-07 (3.1e-11, 21)  qvel 1.4e-05 (5.8e-10, 20)   qacc_warmstart 1.6e-03 (5.1e-07, 23)
    port32  qpos 1.1e-02 (5.5e-04, 18)  qvel 1.2     (3.3e-02, 32)   qacc_warmstart 152     (4.4, 49)
    mjx32   qpos 5.2e-02 (6.9e-04, 25)  qvel 2.9     (3.8e-02, 50)   qacc_warmstart 378     (5.9, 72)

The float64 port's few segments over tolerance are chaotic amplification the second look forgives;
MJX float64's are its solver ending elsewhere (ledger ``mjx-solver-end``); the float32 port is closer
to C than MJX float32 at every quantile.
"""
from __future__ import annotations

import argparse
import time

import numpy as np

FIELDS = ("qpos", "qvel", "qacc_warmstart")


def segments(episodes: int, policy: str):
    from adapters.mujoco import MujocoHalfCheetah
    from suites.halfcheetah import SUITE, SYNC_EVERY
    ref = MujocoHalfCheetah()
    seeds = list(range(episodes))
    trajs = ref.rollouts(seeds, SUITE.policy(policy, "f64"), 1000, record_states=True)
    starts, actions, states = [], [], []
    for seed, tr in zip(seeds, trajs):
        ref.reset(seed)
        first = ref.get_state()
        for t in range(0, tr.length, SYNC_EVERY):
            starts.append(first if t == 0 else {k: v[t - 1] for k, v in tr.states.items()})
            actions.append(tr.actions[t:t + SYNC_EVERY])
            states.append({k: tr.states[k][t:t + SYNC_EVERY] for k in FIELDS})
    return starts, actions, states


def main(argv=None) -> int:
    from adapters.halfcheetah_jax import HalfCheetahJax
    from adapters.mjx import MjxHalfCheetah
    from suites.halfcheetah import TOL, TOL32
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--episodes", type=int, default=100)
    p.add_argument("--policy", default="random")
    args = p.parse_args(argv)
    starts, actions, ref_states = segments(args.episodes, args.policy)
    print(f"{len(starts)} segments of {args.episodes} C episodes ({args.policy})", flush=True)
    for name, side in [("port64", HalfCheetahJax("float64")), ("mjx64", MjxHalfCheetah("float64")),
                       ("port32", HalfCheetahJax("float32")), ("mjx32", MjxHalfCheetah("float32"))]:
        t0 = time.time()
        got = [{k: np.asarray(t.states[k], np.float64) for k in FIELDS} for t in side.replays(starts, actions)]
        tol = TOL32 if name.endswith("32") else TOL
        for k in FIELDS:
            first = np.array([np.max(np.abs(g[k][0] - r[k][0])) for g, r in zip(got, ref_states)])
            whole = np.array([np.max(np.abs(g[k] - r[k])) for g, r in zip(got, ref_states)])
            print(f"{name:7s} {k:15s} first step max {first.max():9.2g}  segment max {whole.max():9.2g} "
                  f"q99.9 {np.quantile(whole, 0.999):9.2g}  over tolerance {tol[k][1]:.2g}: "
                  f"{int((whole > tol[k][1]).sum())} (worst segment {int(whole.argmax())})", flush=True)
        print(f"{name:7s} {time.time() - t0:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
