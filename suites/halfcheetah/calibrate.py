"""Measure the halfcheetah suite's tolerances and margins on the references.

    python -m suites.halfcheetah.calibrate [--states 1000] [--mjx-states 1000] [--episodes 256] [--out FILE]

Tolerances. From transitions of the MuJoCo C reference (states played by random and gait
policies from seeded resets, and the L1 properties' edits of them: lifted, pressed into the
floor, hinges past their limits, flipped onto the back), for every field of the outputs and
of the next state, the largest one-step deviation of

- C against itself with the input state moved one ulp (every float element ``nextafter``
  up): the reference's own sensitivity to rounding its input;
- MJX float64 against C from the same state: two implementations of MuJoCo (apart from the
  rare states where MJX's solver ends elsewhere, a known difference counted separately);

and over ``SYNC`` steps (the teacher-forced segment of L2/L3) the same two deviations.
The tolerance of a field is ``SAFETY`` times the larger (absolute); the f32 variant's is
``SAFETY`` times MJX float32's deviation from C. The float64 and float32 ports are measured
beside them for the report.

Margins. Each metric's mean and standard deviation over ``--episodes`` C episodes (1,000
steps) per policy; the margin is ``MARGIN_SD`` standard deviations, and the episodes per
side for 80 % TOST power at that margin (normal approximation, Holm over the metrics).

Figures measured on this machine (2 cores shared with other jobs), 2026-12-06, with
``python -m suites.halfcheetah.calibrate`` (1,000 states on every side; max absolute deviation
over one env step and over a 5-step segment; tol = SAFETY x max(C-ulp, MJX64), the segment's at
least the step's; tol32 = SAFETY x MJX32, the f32 variant's). The states from which MJX float64
ends its solve elsewhere (beyond SAFETY x C's one-ulp sensitivity: the ledger's
``mjx-solver-end``) are counted apart, not in the columns:

    field                c_ulp 1     mjx64 1    port64 1     mjx32 1    port32 1     c_ulp 5     mjx64 5    port64 5     mjx32 5    port32 5    tol L1  tol sync  tol32 L1 tol32 sync
    obs                  5.9e-11     4.1e-11     5.4e-11      0.0034     0.00012     2.7e-11     1.4e-10     1.1e-10      0.0098      0.0035   5.9e-10   1.4e-09     0.034      0.098
    reward               3.5e-13     1.4e-12     1.3e-12     0.00018     1.5e-05     3.1e-12     1.3e-11     3.8e-12     0.00083     0.00016   1.4e-11   1.3e-10    0.0018     0.0083
    qpos                 8.1e-13       1e-12     9.9e-13     6.3e-05     2.3e-06     2.7e-12       8e-12     3.5e-12      0.0002       6e-05     1e-11     8e-11   0.00063      0.002
    qvel                 5.9e-11     4.1e-11     5.4e-11      0.0034     0.00012     2.7e-11     1.4e-10     1.1e-10      0.0098      0.0035   5.9e-10   1.4e-09     0.034      0.098
    qacc_warmstart       7.8e-09     5.5e-09     7.2e-09        0.45       0.065     8.7e-09     1.1e-08     2.6e-08         3.4        0.97   7.8e-08   1.1e-07       4.5         34
    ctrl                       0           0           0           0           0           0           0           0           0           0         0         0         0          0
    time                 1.8e-15           0           0     1.5e-06     1.5e-06     1.8e-15           0           0     6.1e-06     6.1e-06   1.8e-14   1.8e-14   1.5e-05    6.1e-05
    MJX float64 ends elsewhere than C (beyond 10x C's one-ulp sensitivity) from 1 of 1000 states [970]; not in the columns above; largest deviation there, one step / 5 steps:
        obs                  1.3e-09     3.2e-10
        reward               1.2e-11     1.1e-10
        qpos                 8.4e-11     3.9e-11
        qvel                 1.3e-09     3.2e-10
        qacc_warmstart       3.4e-08     1.8e-08
        ctrl                       0           0
        time                       0           0

Metrics of the C reference, 256 episodes per policy (margin = 0.75 sd):

    random return              mean    -292.1  sd     76.7  margin     57.5
    random x_velocity          mean  -0.09233  sd   0.0768  margin   0.0576
    random torso_height        mean   -0.1499  sd    0.129  margin    0.097
    random torso_angle         mean    0.6889  sd    0.887  margin    0.665
    random back_foot_contact   mean    0.1923  sd   0.0734  margin    0.055
    random front_foot_contact  mean    0.3346  sd    0.114  margin   0.0857
      gait return              mean     505.2  sd       91  margin     68.2
      gait x_velocity          mean    0.6137  sd   0.0911  margin   0.0683
      gait torso_height        mean   -0.1262  sd   0.0319  margin   0.0239
      gait torso_angle         mean   0.09193  sd    0.255  margin    0.191
      gait back_foot_contact   mean    0.1705  sd   0.0207  margin   0.0155
      gait front_foot_contact  mean    0.4841  sd   0.0375  margin   0.0281
"""
from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import numpy as np

SAFETY = 10.0
SYNC = 5
MARGIN_SD = 0.75
FIELDS_OUT = ("obs", "reward")
FIELDS_STATE = ("qpos", "qvel", "qacc_warmstart", "ctrl", "time")


def perturbed(state: dict) -> dict:
    return {k: (np.nextafter(v, np.inf) if np.asarray(v).dtype.kind == "f" else v) for k, v in state.items()}


def collect(ref, n: int, rng) -> list:
    """(state, [SYNC actions]) pairs: played states and the property edits of them."""
    from reference_envs.halfcheetah import joint_ranges
    from suites.halfcheetah.policies import GAIT_PERIOD, GAIT_TABLE
    ranges = joint_ranges()
    out, seed = [], 0
    while len(out) < n:
        ref.reset(seed)
        gait = seed % 2 == 1
        seed += 1
        for t in range(int(rng.integers(5, 200))):
            ref.step(GAIT_TABLE[t % GAIT_PERIOD] if gait else rng.uniform(-1, 1, 6).astype(np.float32))
        s = ref.get_state()
        kind = len(out) % 5
        if kind == 1:
            s["qpos"][1] += rng.uniform(0.5, 1.5)
        elif kind == 2:
            s["qpos"][1] -= rng.uniform(0, 0.04)
        elif kind == 3:
            for j in rng.choice(range(3, 9), size=int(rng.integers(1, 7)), replace=False):
                up = rng.random() < 0.5
                lo, hi = ranges[j]
                s["qpos"][j] = hi + rng.uniform(0, 0.1) if up else lo - rng.uniform(0, 0.1)
                s["qvel"][j] = rng.uniform(0, 5) * (1 if up else -1)
        elif kind == 4:
            s["qpos"][2] = np.pi + rng.uniform(-0.6, 0.6)
            s["qpos"][1] = rng.uniform(-0.75, -0.5)
        if gait:  # the segment the gait would play from here (any phase), else random actions
            phase = int(rng.integers(0, GAIT_PERIOD))
            acts = np.stack([GAIT_TABLE[(phase + t) % GAIT_PERIOD] for t in range(SYNC)])
        else:
            acts = rng.uniform(-1, 1, (SYNC, 6)).astype(np.float32)
        out.append((s, acts))
    return out


def run(side, state, actions) -> list:
    """Outputs and states after each of ``actions`` from ``state``."""
    side.set_state(state)
    rec = []
    for a in actions:
        st = side.step(a)
        rec.append(({"obs": np.asarray(st.obs, np.float64), "reward": np.float64(st.reward)}, side.get_state()))
    return rec


def deviation(a: list, b: list, step: int) -> dict:
    (ao, as_), (bo, bs) = a[step], b[step]
    d = {k: float(np.max(np.abs(np.asarray(ao[k]) - np.asarray(bo[k])))) for k in FIELDS_OUT}
    d.update({k: float(np.max(np.abs(np.asarray(as_[k], np.float64) - np.asarray(bs[k], np.float64))))
              for k in FIELDS_STATE})
    return d


def worst(into: dict, d: dict) -> None:
    for k, v in d.items():
        into[k] = max(into.get(k, 0.0), v)


def measure(n_states: int, n_mjx: int, seed: int = 0) -> dict:
    from adapters.halfcheetah_jax import HalfCheetahJax
    from adapters.mjx import MjxHalfCheetah
    from adapters.mujoco import MujocoHalfCheetah
    rng = np.random.default_rng(seed)
    ref = MujocoHalfCheetah()
    cases = collect(ref, n_states, rng)
    sides = {"port64": (HalfCheetahJax("float64"), n_states), "port32": (HalfCheetahJax("float32"), n_states),
             "mjx64": (MjxHalfCheetah("float64"), n_mjx), "mjx32": (MjxHalfCheetah("float32"), n_mjx)}
    dev = {name: {1: {}, SYNC: {}} for name in ["c_ulp", *sides, "mjx64_departs"]}
    departures = []
    t0 = time.time()
    ref_runs = []
    for s, acts in cases:
        base = run(ref, s, acts)
        ref_runs.append(base)
        moved = run(ref, perturbed(s), acts)
        worst(dev["c_ulp"][1], deviation(base, moved, 0))
        worst(dev["c_ulp"][SYNC], deviation(base, moved, SYNC - 1))
    for name, (side, count) in sides.items():
        for i, ((s, acts), base) in enumerate(list(zip(cases, ref_runs))[:count]):
            other = run(side, s, acts)
            d1, dk = deviation(base, other, 0), deviation(base, other, SYNC - 1)
            if name == "mjx64" and departs(d1, dk, dev["c_ulp"]):
                departures.append(i)
                name_here = "mjx64_departs"
            else:
                name_here = name
            worst(dev[name_here][1], d1)
            worst(dev[name_here][SYNC], dk)
        print(f"  measured {name} ({count} states) at {time.time() - t0:.0f} s", flush=True)
    return {"states": n_states, "mjx_states": n_mjx, "sync": SYNC, "deviation": dev, "mjx64_departures": departures}


def departs(d1: dict, dk: dict, c_ulp: dict) -> bool:
    """MJX float64 ends somewhere else than C from this state: a dynamics field off by more than
    SAFETY times C's own largest one-ulp sensitivity (its Newton solver stopping at a different
    iterate: the ledger's ``mjx-solver-end``), not rounding."""
    return any(d[f] > SAFETY * c_ulp[k][f] for k, d in ((1, d1), (SYNC, dk)) for f in ("qpos", "qvel", "qacc_warmstart"))


def margins(episodes: int) -> dict:
    from adapters.mujoco import MujocoHalfCheetah
    from suites.halfcheetah import METRICS, SUITE
    ref = MujocoHalfCheetah()
    out = {}
    n_metrics = sum(len([m for m in METRICS if m.policies is None or p in m.policies]) for p in SUITE.policy_names())
    z = _z(1 - 0.05 / n_metrics) + _z(0.8)
    for policy_name in SUITE.policy_names():
        policy = SUITE.policy(policy_name, "f64")
        trajs = ref.rollouts(list(range(10_000, 10_000 + episodes)), policy, 1000, record_states=True)
        out[policy_name] = {}
        for m in METRICS:
            if m.policies is not None and policy_name not in m.policies:
                continue
            v = np.asarray([m.extract(t) for t in trajs])
            sd = float(np.std(v, ddof=1))
            margin = MARGIN_SD * sd
            need = math.ceil(2 * (z * sd / margin) ** 2) if margin > 0 else None
            out[policy_name][m.name] = {"mean": float(np.mean(v)), "sd": sd, "margin": margin, "n_needed": need}
    return out


def _z(p: float) -> float:
    from scipy import stats
    return float(stats.norm.ppf(p))


def table(cal: dict) -> str:
    dev = cal["deviation"]
    cols = [("c_ulp", 1), ("mjx64", 1), ("port64", 1), ("mjx32", 1), ("port32", 1),
            ("c_ulp", SYNC), ("mjx64", SYNC), ("port64", SYNC), ("mjx32", SYNC), ("port32", SYNC)]
    head = (f"{'field':<16}" + "".join(f"{a + ' ' + str(k):>12}" for a, k in cols)
            + f"{'tol L1':>10}{'tol sync':>10}{'tol32 L1':>10}{'tol32 sync':>11}")
    lines = [head]
    for f in FIELDS_OUT + FIELDS_STATE:
        row = f"{f:<16}" + "".join(f"{dev[a][k].get(f, 0.0):12.2g}" for a, k in cols)
        tol1 = SAFETY * max(dev["c_ulp"][1][f], dev["mjx64"][1][f])
        tolk = max(tol1, SAFETY * max(dev["c_ulp"][SYNC][f], dev["mjx64"][SYNC][f]))  # never below one step
        t32 = SAFETY * dev["mjx32"][1][f]
        t32k = max(t32, SAFETY * dev["mjx32"][SYNC][f])
        lines.append(row + f"{tol1:10.2g}{tolk:10.2g}{t32:10.2g}{t32k:11.2g}")
    gone = cal.get("mjx64_departures", [])
    lines.append(f"MJX float64 ends elsewhere than C (beyond {SAFETY:g}x C's one-ulp sensitivity) from {len(gone)} "
                 f"of {cal['mjx_states']} states {gone}; not in the columns above; largest deviation there, one "
                 f"step / {SYNC} steps:")
    for f in FIELDS_OUT + FIELDS_STATE:
        lines.append(f"    {f:<16}{dev['mjx64_departs'][1].get(f, 0.0):12.2g}{dev['mjx64_departs'][SYNC].get(f, 0.0):12.2g}")
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--states", type=int, default=1000)
    p.add_argument("--mjx-states", type=int, default=1000)
    p.add_argument("--episodes", type=int, default=256)
    p.add_argument("--out", default=".equiv-cache/halfcheetah_calibration.json")
    args = p.parse_args(argv)
    cal = measure(args.states, args.mjx_states)
    print(table(cal))
    cal["margins"] = margins(args.episodes)
    for policy, ms in cal["margins"].items():
        for name, v in ms.items():
            print(f"{policy:>6} {name:<20} mean {v['mean']:10.4g} sd {v['sd']:9.3g} margin {v['margin']:9.3g} "
                  f"n/side {v['n_needed']}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(cal, indent=1, default=str))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
